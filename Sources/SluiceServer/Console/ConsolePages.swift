/// The console's HTML: small shells that the console script fills from the JSON routes. Nothing from the catalog
/// or from events is put into these strings; the script renders such values as text (`textContent`), never as
/// markup, and the page's Content-Security-Policy refuses inline scripts besides.
enum ConsolePages {
    enum Page: String, CaseIterable, Sendable {
        case overview, sources, debugger, destinations, archive, nodes

        var title: String {
            switch self {
            case .overview: "Overview"
            case .sources: "Sources"
            case .debugger: "Debugger"
            case .destinations: "Destinations"
            case .archive: "Archive"
            case .nodes: "Nodes"
            }
        }
    }

    static func render(_ page: Page, csrf: String) -> String {
        let body: String =
            switch page {
            case .overview: overviewBody
            case .sources: sourcesBody
            case .debugger: debuggerBody
            case .destinations: destinationsBody
            case .archive: archiveBody
            case .nodes: nodesBody
            }
        return layout(title: page.title, page: page.rawValue, csrf: csrf, nav: navigation(current: page), body: body)
    }

    static func signIn(error: String?) -> String {
        let message = error.map { #"<p class="error" role="alert" id="sign-in-error">\#(HTML.escape($0))</p>"# } ?? ""
        return layout(
            title: "Sign in", page: "sign-in", csrf: "", nav: "",
            body: """
                <section class="card narrow">
                <h1>Sign in to Sluice</h1>
                \(message)
                <form method="post" action="/console/sign-in">
                <label for="user">User (leave empty to sign in with the admin token)</label>
                <input id="user" name="user" autocomplete="username" autocapitalize="none">
                <label for="token">Password or admin token</label>
                <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
                <p class="hint">The admin token is in <code>{data-dir}/admin-token</code> on the server; users are added
                with <code>sluice console users add NAME</code>.</p>
                <button type="submit" id="sign-in">Sign in</button>
                </form>
                </section>
                """)
    }

    static func layout(title: String, page: String, csrf: String, nav: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="csrf-token" content="\(HTML.escape(csrf))">
        <title>\(HTML.escape(title)) · Sluice</title>
        <link rel="stylesheet" href="/console/assets/console.css">
        <script src="/console/assets/console.js" defer></script>
        </head>
        <body data-page="\(HTML.escape(page))">
        \(nav)
        <main id="main">
        \(body)
        </main>
        </body>
        </html>
        """
    }

    static func navigation(current: Page) -> String {
        let links = Page.allCases.map { page in
            let here = page == current ? #" aria-current="page""# : ""
            return #"<a href="/console/\#(page.rawValue)"\#(here)>\#(page.title)</a>"#
        }
        return """
            <header class="top"><nav aria-label="Console"><span class="brand">Sluice</span>\(links.joined())\
            <button type="button" id="sign-out" class="link">Sign out</button></nav></header>
            """
    }

    static let sourcesBody = """
        <h1>Sources</h1>
        <section class="card">
        <h2>Create a source</h2>
        <form id="create-source">
        <label for="source-name">Name</label>
        <input id="source-name" name="name" required pattern="[A-Za-z0-9._-]{1,64}" placeholder="web">
        <button type="submit" id="create">Create</button>
        </form>
        <p id="form-error" class="error" role="alert" hidden></p>
        </section>
        <section id="new-key" class="card" hidden aria-live="polite">
        <h2>Write key for <span id="new-key-source"></span></h2>
        <p>Copy it now: it is shown only once.</p>
        <p><code id="new-key-value" class="secret"></code></p>
        <div id="snippets"></div>
        </section>
        <section class="card">
        <h2>All sources</h2>
        <div class="scroll"><table class="cards" id="sources">
        <thead><tr><th>Name</th><th>Id</th><th>Keys</th><th>Events (24 h)</th><th>Created</th><th>Actions</th></tr>\
        </thead>
        <tbody></tbody></table></div>
        <p class="hint">Events (24 h): accepted by this node in the last 24 hours (counted in memory since it started).</p>
        </section>
        <section id="change-source" class="card" hidden aria-live="polite">
        <h2>Change <span id="change-source-name"></span></h2>
        <form id="rename-source">
        <label for="rename-name">New name</label>
        <input id="rename-name" name="name" required pattern="[A-Za-z0-9._-]{1,64}">
        <button type="submit" id="rename">Rename</button>
        </form>
        <form id="delete-source">
        <label for="delete-confirm">Delete: type the source's name to confirm</label>
        <input id="delete-confirm" name="confirm" required autocomplete="off">
        <button type="submit" id="delete" class="danger">Delete source</button>
        <p class="hint">Deleting removes its write keys, quarantine and destinations; files already staged or archived
        stay.</p>
        </form>
        <p id="change-error" class="error" role="alert" hidden></p>
        </section>
        """

    static let debuggerBody = """
        <h1>Debugger</h1>
        <section class="card">
        <form id="debugger-filter" class="filters">
        <label>Source <select id="source" name="source"></select></label>
        <label>Type <select id="filter-type" name="type"><option value="">any</option><option>track</option>\
        <option>identify</option><option>page</option><option>screen</option><option>group</option>\
        <option>alias</option></select></label>
        <label>Event <input id="filter-event" name="event"></label>
        <label>userId <input id="filter-userId" name="userId"></label>
        <label>messageId <input id="filter-messageId" name="messageId"></label>
        <button type="submit" id="apply">Apply</button>
        </form>
        </section>
        <div role="tablist" class="tabs">
        <button type="button" role="tab" id="tab-live" aria-selected="true" aria-controls="panel-live">Live</button>
        <button type="button" role="tab" id="tab-quarantine" aria-selected="false" aria-controls="panel-quarantine">\
        Quarantine</button>
        </div>
        <section id="panel-live" role="tabpanel" aria-labelledby="tab-live" class="card">
        <p><button type="button" id="pause">Pause</button> <span id="status" aria-live="polite"></span></p>
        <p id="skipped" class="warning" hidden></p>
        <ol id="events" class="events"></ol>
        </section>
        <section id="panel-quarantine" role="tabpanel" aria-labelledby="tab-quarantine" class="card" hidden>
        <p><button type="button" id="reload-quarantine">Reload</button></p>
        <ol id="quarantine" class="events"></ol>
        </section>
        """

    static let destinationsBody = """
        <h1>Destinations</h1>
        <section class="card">
        <p><button type="button" id="copy-now">Copy now</button> <span id="copy-result" aria-live="polite"></span></p>
        <p id="destinations-error" class="error" role="alert" hidden></p>
        <div class="scroll"><table class="cards" id="destinations">
        <thead><tr><th>Bucket</th><th>Source</th><th>Status</th><th>Last success</th><th>Pending</th>\
        <th>Delivered files</th><th>Last error</th><th>Actions</th></tr></thead>
        <tbody></tbody></table></div>
        <p>Next scheduled copy: <span id="next-copy">…</span></p>
        </section>
        <p><img src="/console/charts/deliveries.svg" alt="Files delivered per hour, every destination" class="chart"
        id="deliveries-chart"></p>
        \(destinationFormBody)
        \(policyFormBody)
        """
}
