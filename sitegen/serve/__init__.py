"""`sitegen serve`: live preview that rebuilds on change and reloads the browser once per build.

How the pieces fit (each module has one job):

    watcher.SiteWatcher   watchdog observer; records relevant paths into a ChangeQueue
    debounce.ChangeQueue  gathers a burst of changes into one batch (quiet period, max wait)
    loop.RebuildLoop      the one thread that rebuilds: batch -> Builder.build -> reload signal
    hub.ReloadHub         livereload WebSocket clients; sends the reload after a completed build
    devserver.DevServer   tornado HTTP server over the preview output folder (pretty URLs, 404)
    overlay               the error overlay injected into served pages while a problem lasts
    pulling.PullLoop      optional background `run_pull` every N seconds
    session.ServeSession  wires them together; `sitegen serve` runs one session
"""
