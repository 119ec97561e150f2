/// The station screen's script and style sheet, served by the agent itself: no build step, no
/// CDN, no external fonts, so the screen works with no internet at all.
enum StationAssets {
    /// Keeps the scan field focused, sends scans without reloading (one at a time, in the order
    /// scanned), flashes and sounds a refusal, updates only what an answer changed, and follows
    /// `/events` for counts, the offline banner and the station's problems (the health model).
    static let script = """
        "use strict";
        (() => {
          const scan = document.getElementById("scan");
          // The scan field keeps the focus, except while the packer types a weight or a reason.
          const typing = () => {
            const active = document.activeElement;
            return active && active !== scan && active.tagName === "INPUT";
          };
          const refocus = () => { if (scan && document.activeElement !== scan && !typing()) scan.focus(); };
          document.addEventListener("click", () => window.requestAnimationFrame(refocus));
          if (scan) scan.addEventListener("blur", () => window.requestAnimationFrame(refocus));
          const message = document.getElementById("message");
          let audio = null;
          const sound = (accepted) => {
            try {
              audio = audio || new AudioContext();
              const tone = audio.createOscillator();
              const gain = audio.createGain();
              tone.type = accepted ? "sine" : "square";
              tone.frequency.value = accepted ? 880 : 160;
              gain.gain.value = 0.2;
              tone.connect(gain).connect(audio.destination);
              tone.start();
              tone.stop(audio.currentTime + (accepted ? 0.08 : 0.4));
            } catch (error) { /* no audio device: the flash and the message remain */ }
          };
          // Brings the page's nodes in line with the new ones, touching only what differs: a scan
          // changes one row and one tally, so the other boxes (and a weight being typed) stay as they are.
          const morph = (old, fresh) => {
            if (old.nodeName !== fresh.nodeName || old.childNodes.length !== fresh.childNodes.length) return old.replaceWith(fresh);
            if (old.nodeType === Node.TEXT_NODE) { if (old.data !== fresh.data) old.data = fresh.data; return; }
            if (old.nodeType !== Node.ELEMENT_NODE || old.isEqualNode(fresh)) return;
            for (const { name } of Array.from(old.attributes)) if (!fresh.hasAttribute(name)) old.removeAttribute(name);
            for (const { name, value } of Array.from(fresh.attributes)) if (old.getAttribute(name) !== value) old.setAttribute(name, value);
            const children = Array.from(fresh.childNodes);
            children.forEach((child, index) => morph(old.childNodes[index], child));
          };
          const showPanel = (html) => {
            const panel = document.getElementById("panel");
            const fresh = document.createElement("div");
            fresh.id = "panel";
            fresh.innerHTML = html;
            morph(panel, fresh);
          };
          const show = (answer) => {
            message.textContent = answer.message;
            message.className = "message " + (answer.accepted ? "ok" : "error");
            if (answer.panel !== undefined) showPanel(answer.panel);
            if (!answer.accepted) document.body.animate([{ background: "#ff4d4d" }, { background: "#fff" }], { duration: 500 });
            sound(answer.accepted);
          };
          // Every POST carries the session's token: another site cannot act for the packer.
          const token = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
          // Each gesture's time from the packer's Enter to the frame that shows its answer, waiting
          // in the queue included: what the packer waits for (read by the browser tests and the bench).
          window.waybillScanTimings = [];
          let queue = Promise.resolve();
          const send = (action, fields) => {
            const started = performance.now();
            queue = queue.then(async () => {
              try {
                const response = await fetch(action, {
                  method: "POST",
                  headers: { "Accept": "application/json", "X-CSRF-Token": token },
                  body: new URLSearchParams(fields),
                });
                show(await response.json());
              } catch (error) {
                show({ accepted: false, message: "The station did not answer (" + error + "). Scan the item again." });
              }
              window.requestAnimationFrame(() => window.waybillScanTimings.push(performance.now() - started));
            });
          };
          if (document.body.dataset.page === "pack") {
            const form = document.getElementById("scan-form");
            form.addEventListener("submit", (event) => {
              event.preventDefault();
              const code = scan.value;
              scan.value = "";
              send(form.action, { code });
            });
            document.addEventListener("submit", (event) => {
              if (!event.target.classList.contains("action")) return;
              event.preventDefault();
              send(event.target.action, new FormData(event.target, event.submitter));
              // Typed weights, reasons and PINs go with the request; the fields are empty again.
              event.target.reset();
              document.activeElement.blur();
              refocus();
            });
          }
          // The scale's reading, live while the page is open (the agent reads the scale itself).
          const reading = document.getElementById("scale-reading");
          if (reading) {
            const follow = async () => {
              try {
                const scale = await (await fetch("/station/scale")).json();
                reading.textContent = scale.text;
                document.body.classList.toggle("scale-stable", scale.stable_lb !== null && scale.stable_lb !== undefined);
              } catch (error) { reading.textContent = "the station does not answer"; }
              window.setTimeout(follow, 300);
            };
            follow();
          }
          if (document.body.dataset.page === "sign-in") return;
          const events = new EventSource("/events");
          events.addEventListener("counts", (event) => {
            const counts = JSON.parse(event.data);
            document.querySelectorAll("[data-state]").forEach((cell) => { cell.textContent = counts[cell.dataset.state] ?? 0; });
          });
          // The open order changed state (labels requested, shipped): show its panel as it is now.
          events.addEventListener("change", (event) => {
            if (document.body.dataset.page !== "pack" || JSON.parse(event.data).order_id !== document.body.dataset.order) return;
            queue = queue.then(async () => {
              const response = await fetch(document.body.dataset.panel);
              if (response.ok) showPanel(await response.text());
            }).catch(() => {});
          });
          // The station's health model: each problem's cause and what it blocks, as text (never markup).
          events.addEventListener("station", (event) => {
            const station = JSON.parse(event.data);
            document.getElementById("offline").hidden = station.connectivity !== "offline";
            const banner = document.getElementById("problems");
            const shown = (station.problems || []).filter((problem) => problem.kind !== "central_unreachable");
            banner.querySelector("ul").replaceChildren(...shown.map((problem) => {
              const item = document.createElement("li");
              item.textContent = problem.cause + ": " + problem.blocks;
              item.dataset.kind = problem.kind;
              return item;
            }));
            banner.hidden = shown.length === 0;
          });
        })();
        """

    /// Large type and targets for gloved hands, high contrast, and a red flash for a refusal.
    static let styleSheet = """
        :root { font-family: system-ui, sans-serif; font-size: 20px; color: #111; background: #fff; }
        body { margin: 0 1.2rem 2rem; }
        header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 1rem; }
        h1 { font-size: 1.8rem; margin: .6rem 0; } h1 small { color: #555; font-weight: normal; }
        .back { font-size: 1.1rem; padding: .6rem 1rem; border: 2px solid #333; border-radius: .4rem; color: #111; text-decoration: none; }
        label { display: block; font-weight: bold; margin: .6rem 0 .2rem; }
        #scan { font-size: 1.6rem; width: 100%; max-width: 32rem; padding: .5rem; border: 3px solid #1f4fa0; border-radius: .4rem; }
        .message { font-size: 1.4rem; padding: .7rem 1rem; border-radius: .4rem; min-height: 1.6rem; }
        .message.ok { background: #e3f5e1; border: 2px solid #2c7a2c; }
        .message.error { background: #fde2e1; border: 3px solid #b00020; color: #7a0010; font-weight: bold; }
        .message.info { background: #eef2fa; border: 2px solid #99a; }
        .banner { background: #b00020; color: #fff; font-size: 1.3rem; font-weight: bold; padding: .8rem 1rem; margin: 0 -1.2rem; }
        .banner.warning { background: #8a4b00; font-size: 1.1rem; } .banner ul { margin: .3rem 0 0; padding-left: 1.4rem; }
        .counts { display: flex; gap: 1rem; flex-wrap: wrap; } .count b { font-size: 1.4rem; }
        .orders { list-style: none; padding: 0; } .orders li { margin: .4rem 0; }
        .orders a { display: block; padding: .8rem 1rem; border: 2px solid #ccd; border-radius: .4rem; color: #111; text-decoration: none; }
        .attention a { border-color: #b00020; } .why { color: #b00020; font-weight: bold; }
        .box { border: 2px solid #ccc; border-radius: .5rem; margin: 1rem 0; padding: .2rem 1rem 1rem; opacity: .75; }
        .box.open { border: 5px solid #1f4fa0; opacity: 1; } .box.complete { border-color: #2c7a2c; background: #f3fbf2; }
        .box h2 { font-size: 1.5rem; } .boxtype, .status, .tally { font-weight: normal; color: #444; margin-left: .6rem; }
        .box-body { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
        table { border-collapse: collapse; } th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ddd; }
        .row-done td { color: #2c7a2c; } .missing { font-weight: bold; }
        .swatch { display: inline-block; width: 1.1rem; height: 1.1rem; border: 1px solid #222; }
        .hand button { font-size: 1rem; padding: .5rem .8rem; }
        .weight { font-size: 1.2rem; } .weight.mismatch { color: #b00020; font-weight: bold; } .documents { color: #2c7a2c; }
        form.weigh, form.override { margin: .6rem 0; } .weigh input, .override input { font-size: 1.3rem; padding: .4rem; width: 10rem; }
        .override input { width: 22rem; } .weigh button, .override button { font-size: 1.2rem; padding: .5rem 1rem; }
        .scale { font-size: 1.3rem; margin: .3rem 0; } body:not([data-scale]) .use-scale { display: none; }
        .use-scale { background: #1f4fa0; color: #fff; border: 0; border-radius: .3rem; }
        body:not(.scale-stable) .use-scale { opacity: .5; }
        .who { margin-left: auto; font-size: 1.1rem; } .who button { font-size: 1rem; padding: .4rem .8rem; }
        #sign-in input { font-size: 1.6rem; padding: .5rem; width: 100%; max-width: 20rem; }
        .primary { font-size: 1.4rem; padding: .6rem 1.6rem; margin-top: 1rem; } .pin-input { width: 8rem !important; }
        """
}
