// The CUPS backend of Waybill's private test cupsd (PrivateCupsd compiles it), standing in for a
// physical printer. It copies each job's bytes to <root>/capture/<job title>.<job id>, where <root>
// is the private cupsd's folder (this program runs as <root>/bin/backend/capture). A fault file
// <root>/faults/<queue> makes it fail like a real printer:
//   media-empty  -> reports media-empty-error and stops the queue (exit 4), as a thermal printer out of labels
//   unreachable  -> reports offline and fails the job (exit 1; cupsd retries it per ErrorPolicy)
// It behaves as capture-backend.sh beside it (the fallback without a C compiler), at one exec of a
// static program per job instead of three: the benchmarks share two cores with it.

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { backendOK = 0, backendFailed = 1, backendStop = 4 };

/// Whether snprintf's result fitted its buffer.
static int fits(int written, size_t size) { return written >= 0 && (size_t)written < size; }

/// The private cupsd's folder: this program's path without "/bin/backend/<name>".
static int rootFolder(char *root, size_t size) {
    ssize_t length = readlink("/proc/self/exe", root, size - 1);
    if (length <= 0) return -1;
    root[length] = 0;
    for (int level = 0; level < 3; level++) {
        char *slash = strrchr(root, '/');
        if (slash == NULL) return -1;
        *slash = 0;
    }
    return 0;
}

/// Reads the queue's fault (first line of <root>/faults/<queue>) into `fault`, or "" without one.
static void readFault(const char *root, char *fault, size_t size) {
    fault[0] = 0;
    const char *queue = getenv("PRINTER");
    if (queue == NULL || strchr(queue, '/') != NULL) return;
    char path[PATH_MAX];
    if (!fits(snprintf(path, sizeof path, "%s/faults/%s", root, queue), sizeof path)) return;
    FILE *file = fopen(path, "r");
    if (file == NULL) return;
    if (fgets(fault, (int)size, file) == NULL) fault[0] = 0;
    fclose(file);
    fault[strcspn(fault, "\r\n")] = 0;
}

int main(int argc, char *argv[]) {
    if (argc == 1) {
        puts("direct capture \"Unknown\" \"Waybill capture backend\"");
        return backendOK;
    }
    if (argc < 6) {
        fputs("ERROR: Usage: capture job-id user title copies options [file]\n", stderr);
        return backendFailed;
    }
    char root[PATH_MAX];
    if (rootFolder(root, sizeof root) != 0) {
        fputs("ERROR: Cannot find the capture folder\n", stderr);
        return backendFailed;
    }
    char fault[64];
    readFault(root, fault, sizeof fault);
    if (strcmp(fault, "media-empty") == 0) {
        fputs("STATE: +media-empty-error\nERROR: Out of labels\n", stderr);
        return backendStop;
    }
    if (strcmp(fault, "unreachable") == 0) {
        fputs("STATE: +offline-report\nERROR: Printer not reachable\n", stderr);
        return backendFailed;
    }
    fputs("STATE: -media-empty-error,offline-report\n", stderr);

    // The job title names the file: anything outside [A-Za-z0-9._-] becomes '_', as `tr -c` does.
    char name[256];
    size_t length = 0;
    for (const char *c = argv[3]; *c != 0 && length < sizeof name - 1; c++, length++) {
        int safe = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-';
        name[length] = safe ? *c : '_';
    }
    name[length] = 0;

    int input = argc > 6 ? open(argv[6], O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
    if (input < 0) {
        fprintf(stderr, "ERROR: Cannot open the job's file: %s\n", strerror(errno));
        return backendFailed;
    }
    char temp[PATH_MAX], final[PATH_MAX];
    if (!fits(snprintf(temp, sizeof temp, "%s/capture/.%s.tmp", root, argv[1]), sizeof temp)
        || !fits(snprintf(final, sizeof final, "%s/capture/%s.%s", root, name, argv[1]), sizeof final)) {
        fputs("ERROR: The capture folder's path is too long\n", stderr);
        return backendFailed;
    }
    int output = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (output < 0) {
        fprintf(stderr, "ERROR: Cannot write %s: %s\n", temp, strerror(errno));
        return backendFailed;
    }
    char buffer[65536];
    for (;;) {
        ssize_t count = read(input, buffer, sizeof buffer);
        if (count == 0) break;
        if (count < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "ERROR: Cannot read the job: %s\n", strerror(errno));
            return backendFailed;
        }
        for (ssize_t written = 0; written < count;) {
            ssize_t step = write(output, buffer + written, (size_t)(count - written));
            if (step < 0) {
                if (errno == EINTR) continue;
                fprintf(stderr, "ERROR: Cannot write %s: %s\n", temp, strerror(errno));
                return backendFailed;
            }
            written += step;
        }
    }
    if (close(output) != 0 || rename(temp, final) != 0) {
        fprintf(stderr, "ERROR: Cannot store %s: %s\n", final, strerror(errno));
        return backendFailed;
    }
    return backendOK;
}
