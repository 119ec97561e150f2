import Mustache

/// The station screen's Mustache templates. `{{name}}` escapes HTML, so customer text (names,
/// addresses, SKU names from the centre) can never become markup; `{{{picture}}}`, the one raw
/// insertion, is SVG that ``BoxPicture`` writes from numbers only.
enum StationTemplates {
    /// The templates, parsed once.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("banner", banner), ("who", who), ("queue", queue), ("pack", pack), ("panel", panel), ("signin", signIn)] {
            // The templates are constants of this file: a parse error is a programming error.
            try! library.register(text, named: name)
        }
        return library
    }()

    static let head = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="csrf-token" content="{{csrf}}">
        <link rel="stylesheet" href="/station/station.css"><script src="/station/station.js" defer></script>
        """

    /// Who is signed in, and the way out (nothing at the console of a station without packers).
    static let who = """
        {{#packer}}<form class="who" method="post" action="/station/sign-out"><input type="hidden" name="csrf" value="{{csrf}}">\
        Packing: <b id="packer">{{packer}}</b> <button type="submit">Sign out</button></form>{{/packer}}
        """

    /// Hidden in every form: the session's token against requests forged by other sites.
    static let token = #"<input type="hidden" name="csrf" value="{{csrf}}">"#

    static let signIn =
        head + """
            <title>Sign in · Waybill</title></head>
            <body data-page="sign-in">
            <header><h1>Sign in to pack</h1></header>
            <form method="post" action="/station/sign-in" id="sign-in" autocomplete="off">\(token)
            <input type="hidden" name="next" value="{{next}}">
            <label for="name">Your name</label>
            <input id="name" name="name" autofocus autocomplete="off" autocapitalize="none" spellcheck="false">
            <label for="pin">PIN</label>
            <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off">
            <button type="submit" class="primary">Sign in</button>
            </form>
            {{#message}}<p id="message" class="message error" role="alert">{{message}}</p>{{/message}}
            {{^hasPackers}}<p class="message info">No packer can sign in yet. On the station, run \
            <code>waybill packers add NAME</code> (add <code>--supervisor</code> for someone who may accept a weight).</p>{{/hasPackers}}
            </body></html>
            """

    static let banner = """
        <div id="offline" class="banner" role="alert" {{^offline}}hidden{{/offline}}>Offline: the central system does not answer. \
        Keep packing: every scan is kept and sent when it is back.</div>
        <div id="problems" class="banner warning" role="alert" hidden><span>This station needs attention:</span><ul></ul></div>
        """

    static let queue =
        head + """
            <title>Pack queue · Waybill</title></head>
            <body data-page="queue">
            {{> banner}}
            <header><h1>Pack queue</h1>{{> who}}
            <div class="counts">{{#counts}}<span class="count"><b data-state="{{state}}">{{count}}</b> {{state}}</span>{{/counts}}</div></header>
            <form method="post" action="/station/open" id="scan-form" autocomplete="off">\(token)
            <label for="scan">Scan a packing slip, or type an order number, then Enter</label>
            <input id="scan" name="code" autofocus autocomplete="off" spellcheck="false">
            </form>
            {{#error}}<p id="message" class="message error" role="alert">{{error}}</p>{{/error}}
            {{#hasAttention}}<h2 class="attention">Needs a person</h2>
            <ul class="orders attention">{{#attention}}<li><a href="/station/orders/{{path}}"><b>{{id}}</b> {{reference}} · {{name}}</a> \
            <span class="why">{{why}}</span></li>{{/attention}}</ul>{{/hasAttention}}
            <h2>To pack, longest waiting first</h2>
            {{^orders}}<p class="empty">Nothing to pack. New orders appear here by themselves.</p>{{/orders}}
            <ul class="orders">{{#orders}}<li><a href="/station/orders/{{path}}"><b>{{id}}</b> {{reference}} · {{name}} · {{detail}}</a></li>{{/orders}}</ul>
            </body></html>
            """

    static let pack =
        head + """
            <title>Order {{view.orderID}} · Waybill</title></head>
            <body data-page="pack" data-order="{{view.orderID}}" data-panel="/station/orders/{{path}}/panel"{{#scale}} data-scale="1"{{/scale}}>
            {{> banner}}
            <header><a class="back" href="/station">← Queue</a>
            <h1>Order {{view.orderID}} <small>{{view.reference}}</small></h1>{{> who}}
            <p class="shipto">{{view.shipTo}}, {{view.city}}</p>
            {{#scale}}<p class="scale">Scale: <b id="scale-reading">{{scale}}</b></p>{{/scale}}</header>
            <form id="scan-form" method="post" action="/station/orders/{{path}}/scan" autocomplete="off">\(token)
            <label for="scan">Scan every item into the open box</label>
            <input id="scan" name="code" autofocus autocomplete="off" spellcheck="false">
            </form>
            <p id="message" class="message {{tone}}" role="status" aria-live="assertive">{{message}}</p>
            <div id="panel">{{> panel}}</div>
            </body></html>
            """

    static let panel = """
        {{#view}}<div class="summary">{{#stateText}}<p class="state">{{stateText}}</p>{{/stateText}}\
        {{#complete}}<p class="done">Every box is verified: {{verifiedUnits}} of {{totalUnits}} units.</p>{{/complete}}\
        {{^complete}}<p class="progress"><b id="open-box">BOX {{openBox}} OF {{boxCount}}</b> is open · \
        <span id="progress">{{verifiedUnits}} of {{totalUnits}}</span> units scanned</p>{{/complete}}</div>
        {{#boxes}}<section class="box{{#open}} open{{/open}}{{#complete}} complete{{/complete}}" id="box-{{number}}">
        <h2>BOX {{number}} OF {{count}} <span class="boxtype">{{boxID}} · {{dims}}</span> <span class="status">{{status}}</span> \
        <span class="tally">{{counted}} / {{expected}}</span></h2>
        <div class="box-body"><table><thead><tr><th></th><th>SKU</th><th>Item</th><th>Qty</th><th>Scanned</th><th>Missing</th><th></th></tr></thead><tbody>
        {{#rows}}<tr class="{{#complete}}row-done{{/complete}}" data-sku="{{sku}}"><td><span class="swatch" style="background:{{colour}}"></span></td>\
        <td class="sku">{{sku}}</td><td>{{name}}</td><td>{{expected}}</td><td class="counted">{{counted}}</td><td class="missing">{{missing}}</td>\
        <td>{{^complete}}{{#open}}<form class="action hand" method="post" action="/station/orders/{{path}}/scan">\(token)<input type="hidden" name="hand" value="{{sku}}">\
        <button type="submit">Won't scan: confirm one by hand</button></form>{{/open}}{{/complete}}</td></tr>{{/rows}}
        </tbody></table>{{{picture}}}</div>
        {{#weightText}}<p class="weight{{#mismatch}} mismatch{{/mismatch}}">{{weightText}}</p>{{/weightText}}
        {{#documentsText}}<p class="documents">{{documentsText}}</p>{{/documentsText}}
        {{#needsWeight}}<form class="action weigh" method="post" action="/station/orders/{{path}}/weigh">\(token)\
        <input type="hidden" name="box" value="{{number}}"><label>Weight of box {{number}} (lb) \
        <input name="weight" class="weight-input" inputmode="decimal" autocomplete="off"></label> <button type="submit">Record weight</button> \
        <button type="submit" class="use-scale" name="scale" value="1">Weigh on the scale</button></form>{{/needsWeight}}
        {{#mismatch}}<form class="action override" method="post" action="/station/orders/{{path}}/override">\(token)\
        <input type="hidden" name="box" value="{{number}}"><label>Supervisor: reason to accept this weight \
        <input name="reason" class="reason-input" autocomplete="off"></label> \
        {{^supervisor}}<label>Supervisor's PIN <input name="supervisor_pin" class="pin-input" type="password" inputmode="numeric" \
        autocomplete="off"></label> {{/supervisor}}<button type="submit">Override</button></form>{{/mismatch}}
        </section>{{/boxes}}{{/view}}
        """
}
