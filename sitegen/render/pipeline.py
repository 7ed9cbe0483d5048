"""The build pipeline, in the order it runs: read -> parse and render each document ->
assemble -> plan -> render each output -> write.

Each stage is a function from values to values in the module that owns it; `run_build` passes
the values along. What a build reuses from earlier builds (records, entries, the compiled
theme, the outputs' fingerprints) is the build cache (`render.reuse.BuildCache`), around the
stages; the workers that render documents and outputs are the executor (`render.parallel`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sitegen.authors import read_profiles
from sitegen.cache import BuildState, output_versions, save_state
from sitegen.data_files import read_data
from sitegen.errors import BuildFailed, SitegenError, ThemeError
from sitegen.fsio import is_settled
from sitegen.model import Document, Media
from sitegen.render.documents import DocRecord, PhaseTimes
from sitegen.render.fingerprint import fingerprints
from sitegen.render.inputs import BuildOptions, BuildResult, build_now
from sitegen.render.parallel import Deferred, run_ranges
from sitegen.render.plan import CopyJob, Job, TemplateJob, TextJob, built, plan_site
from sitegen.render.renders import StoredRenders
from sitegen.render.reuse import BuildCache
from sitegen.render.sources import Sources, read_sources
from sitegen.site import PageBody, Site, finish_site, outline_site, select_documents
from sitegen.sources.local import MEDIA_ROOT, PAGES_ROOT, Stats, media_path, scan_tree
from sitegen.theme import (
    TemplateValueError,
    compiled_environment,
    load_template,
    render_template,
    template_files,
    uses_collections,
)
from sitegen.writer import OutputWriter, WriteReport

Progress = Callable[[int, int], None] | None
# Forking two workers costs ~50-100 ms and saves half of ~0.8 ms per output (templates +
# write): below this count it does not pay (bench/README.md).
PARALLEL_OUTPUTS = 200


def run_build(
    site_dir: Path,
    options: BuildOptions,
    cache: BuildCache,
    scanned: tuple[int, Stats] | None,
    *,
    started: float,
    progress: Progress = None,
    trust_outputs: bool = False,
) -> BuildResult:
    """The full build. `scanned` is (time, stats) of the inputs when the caller has them.
    `trust_outputs`: the output folder is as the last build left it (a watched preview), so
    it need not be scanned."""
    times = PhaseTimes()
    sources = read_sources(
        site_dir, options, scanned, cache.state.input_dirs if cache.state else ()
    )
    cache.start(sources)
    times.add({"read": time.perf_counter() - started})
    theme = Deferred(compiled_environment, sources.theme, cache.jinja_cache)
    records = cache.documents(
        sources,
        times,
        options.jobs,
        progress,
        while_waiting=() if cache.has_environment() else (theme.run,),  # Jinja compiles meanwhile
    )
    racy = _racy_hashes(sources.inputs, sources.scanned_ns, records)
    with times.phase("assemble"):
        site, next_due, renders = _assemble(sources, options, records, cache)
    # The search index's files, and the entries for the next build, while the pages render.
    index = Deferred(_search_jobs, sources, cache, site, records, renders, times)
    saved = Deferred(cache.save_entries)
    del records
    with times.phase("plan"):
        static = {
            name: (path, cache.hasher.sha256(path, str(path), _stat(path)))
            for name, path in sources.static.items()
        }
        theme_templates = template_files(sources.theme)
        templates = {
            name: cache.hasher.sha256(path, str(path), _stat(path))
            for name, path in theme_templates.items()
        }
        collections = uses_collections(theme_templates)
        jobs = plan_site(site, static, site_dir / MEDIA_ROOT, collections=collections)
        salt = _salt(sources, templates, static)
        prints = Deferred(fingerprints, site, jobs, salt)
        previous = cache.previous_outputs(sources.out_dir)
        if trust_outputs and previous:  # this process wrote them last
            existing = {path: (size, mtime) for path, (_, size, mtime) in previous.items()}
        else:
            existing = scan_tree(sources.out_dir, "")
        # Without a last build every output is made: the fingerprints (for the next build) are
        # then taken while the pages render.
        todo = (
            _changed(jobs, prints.value(), previous, existing) if previous else [*range(len(jobs))]
        )
    env = cache.environment(sources, templates, _template_globals(site, static), theme)
    _check_templates(env, jobs, todo)
    writer = OutputWriter(sources.out_dir, take_over=options.clean)
    writer.prepare(existing, known=previous)
    try:
        staged, produce_times = _produce(
            jobs,
            todo,
            env,
            writer,
            options.jobs,
            progress,
            renders,
            while_waiting=(prints.run, index.run, saved.run),
        )
        saved.run()
        outputs = list(zip(jobs, prints.value(), strict=True))
        if index_jobs := index.value():
            index_prints = fingerprints(site, index_jobs, salt)
            index_todo = _changed(index_jobs, index_prints, previous, existing)
            staged += _produce(index_jobs, index_todo, env, writer, 1, None, renders)[0]
            outputs += zip(index_jobs, index_prints, strict=True)
        with times.phase("write"):
            produced = {job.output for job, _ in outputs}
            report = writer.commit(staged, [path for path in existing if path not in produced])
    except BaseException:
        writer.abort()
        raise
    finally:
        renders.close()
    times.add(produce_times)
    with times.phase("write"):
        final = _output_stats(sources.out_dir, existing, report)
        cache.state = BuildState(
            version=output_versions(),
            out_dir=str(sources.out_dir),
            input_dirs=sources.input_dirs,
            inputs=sources.inputs,
            outputs={job.output: (made, *final[job.output]) for job, made in outputs},
            file_hashes=cache.hasher.hashes,
            next_due=next_due,
            scanned_ns=sources.scanned_ns,
            racy=racy,
            documents=len(site.posts) + len(site.pages),
            warnings=site.warnings,
        )
        save_state(site_dir, cache.key, cache.state)
    return BuildResult(
        documents=len(site.posts) + len(site.pages),
        written=len(report.written),
        unchanged=len(outputs) - len(report.written),
        removed=len(report.removed),
        seconds=time.perf_counter() - started,
        changed_paths=tuple(sorted((*report.written, *report.removed))),
        warnings=site.warnings,
        timings=dict(times.seconds),
    )


def _assemble(
    sources: Sources, options: BuildOptions, records: Sequence[DocRecord], cache: BuildCache
) -> tuple[Site, dt.datetime | None, StoredRenders]:
    """The Site from the documents (all their errors at once), when a left-out future post is
    due, and the documents' renderings (for the pages). Runs `site.assemble`'s three steps
    with the cache's entries in between."""
    errors = [error for record in records for error in record.errors]
    if errors:
        raise BuildFailed(errors)
    site_dir, config, inputs = sources.site_dir, sources.config, sources.inputs
    documents = [r.document for r in records if r.document is not None]
    selected, next_due = select_documents(
        documents, drafts=options.drafts, future=options.future, now=build_now()
    )
    profiles, profile_warnings = read_profiles(site_dir, inputs, config)
    if profile_warnings and options.strict:
        raise BuildFailed(profile_warnings)
    sha256 = cache.hasher.sha256
    media = [
        Media(media_path(p), sha256(site_dir / p, p, stat), stat[0])
        for p, stat in inputs.items()
        if p.startswith(MEDIA_ROOT + "/")
    ]
    assets = [
        Media(p.removeprefix(PAGES_ROOT + "/"), sha256(site_dir / p, p, stat), stat[0])
        for p, stat in inputs.items()
        if p.startswith(PAGES_ROOT + "/") and not p.endswith(".md")
    ]
    versions = {r.document.key: _version(cache, r) for r in records if r.document is not None}
    renders = cache.renders(sources, records)
    outline = outline_site(
        config,
        selected,
        cache.page_ids(selected, renders, versions),
        media,
        profiles=profiles,
        static=sources.static,
        data=read_data(site_dir),
        assets=assets,
        unbuilt_pages=_left_out_pages(documents, selected),
    )
    outline, made = cache.entries(outline, selected, renders, versions)
    site = finish_site(outline, selected, made, strict=options.strict)
    cache.keep_records(records, renders)
    if profile_warnings:
        site = dataclasses.replace(site, warnings=(*profile_warnings, *site.warnings))
    return site, next_due, renders


def _version(cache: BuildCache, record: DocRecord) -> str:
    """Names a document's rendering: it changes with the Markdown options, the file's bytes
    and those of the files its shortcodes include."""
    includes = (f"{path}:{sha256}" for path, sha256 in record.includes)
    made_of = "\0".join((cache.store_key, record.path, record.sha256, *includes))
    return hashlib.blake2b(made_of.encode(), digest_size=16).hexdigest()


def _search_jobs(
    sources: Sources,
    cache: BuildCache,
    site: Site,
    records: Sequence[DocRecord],
    renders: StoredRenders,
    times: PhaseTimes,
) -> list[Job]:
    """The search index's outputs, when the site has search."""
    if not sources.config.search.enabled:
        return []
    from sitegen.search.stage import index_jobs

    with times.phase("search"):
        docs = cache.search_docs((*site.posts, *site.pages), records, renders)
        return index_jobs(cache.search_index(docs))


def _changed(
    jobs: Sequence[Job],
    prints: Sequence[str],
    previous: Mapping[str, tuple[str, int, int]],
    existing: Mapping[str, tuple[int, int]],
) -> list[int]:
    """Indexes of the jobs to render: those whose fingerprint or file changed since the last
    build (all of them without one)."""
    return [
        i
        for i, job in enumerate(jobs)
        if previous.get(job.output) != (prints[i], *existing.get(job.output, (-1, -1)))
    ]


def _salt(
    sources: Sources, templates: Mapping[str, str], static: Mapping[str, tuple[Path, str]]
) -> str:
    """What every output's fingerprint shares: the versions, the config, the theme's files."""
    return repr(
        (
            output_versions(),
            sources.config.as_json(),
            sorted(templates.items()),
            sorted((name, sha) for name, (_, sha) in static.items()),
        )
    )


def _left_out_pages(documents: Sequence[Document], selected: Sequence[Document]) -> set[str]:
    """Paths under content/pages/ of the pages a build leaves out (drafts, future pages)."""
    built = {d.key for d in selected}
    return {
        d.source.removeprefix(PAGES_ROOT + "/")
        for d in documents
        if d.kind == "page" and d.key not in built
    }


def _stat(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _racy_hashes(
    inputs: Stats, scanned_ns: int, records: Sequence[DocRecord]
) -> dict[str, str] | None:
    """sha256 (as read by this build) of the inputs too fresh to be trusted by stat next time;
    None when one of them is not a document, whose bytes this build did not hash."""
    by_path = {record.path: record.sha256 for record in records}
    racy = {}
    for path, (_, mtime_ns) in inputs.items():
        if not is_settled(mtime_ns, scanned_ns):
            if path not in by_path:
                return None
            racy[path] = by_path[path]
    return racy


def _output_stats(out_dir: Path, before: Stats, report: WriteReport) -> Stats:
    """Stats of the output folder after a commit: the scan from before, updated for the changes."""
    removed = set(report.removed)
    after = {path: stat for path, stat in before.items() if path not in removed}
    root = str(out_dir)
    for path in report.written:
        stat = os.stat(os.path.join(root, path))  # not pathlib: a third of the time, per file
        after[path] = (stat.st_size, stat.st_mtime_ns)
    return after


def _template_globals(site: Site, static: Mapping[str, tuple[Path, str]]) -> dict[str, Any]:
    def static_url(path: str) -> str:
        found = static.get(path.lstrip("/"))
        if found is None:
            raise TemplateValueError(
                f"static file {path!r} not found in static/ or the theme's static/"
            )
        return f"{site.info.base_path}static/{path.lstrip('/')}?v={found[1][:8]}"

    return {"url": site.url, "abs_url": site.abs_url, "static": static_url}


def _check_templates(env: Any, jobs: Sequence[Job], todo: Sequence[int]) -> None:
    """Compile every template about to be used, so syntax errors surface once, before forking."""
    names = sorted(
        {
            j.template: j.source for j in (jobs[i] for i in todo) if isinstance(j, TemplateJob)
        }.items()
    )
    errors: list[SitegenError] = []
    for name, source in names:
        try:
            load_template(env, name, source=source)
        except ThemeError as exc:
            errors.append(exc)
    if errors:
        raise BuildFailed(errors)


def _produce(
    jobs: Sequence[Job],
    todo: Sequence[int],
    env: Any,
    writer: OutputWriter,
    processes: int | None,
    progress: Progress,
    renders: StoredRenders,
    while_waiting: Sequence[Callable[[], object]] = (),
) -> tuple[list[str], dict[str, float]]:
    """Render the outputs in `todo` and stage those whose bytes changed, on `processes` (None:
    decide by their number); every error is collected. Their pages' bodies come from
    `renders`. `while_waiting` runs here meanwhile."""
    # A feed costs as much as several pages: feeds go first, so the small ranges that end the
    # phase (see run_ranges) hold cheap outputs and the workers finish together.
    todo = sorted(todo, key=lambda index: not isinstance(jobs[index], TextJob))
    bodies = renders.bodies

    def task(start: int, stop: int) -> tuple[list[str], dict[str, float], list[SitegenError]]:
        # One writer thread per process: creating folders and files is kernel time that
        # releases the GIL, so it overlaps the rendering of the next outputs.
        staged: list[str] = []
        seconds: dict[str, float] = {}
        errors: list[SitegenError] = []
        written: list[tuple[str, Future[bool]]] = []

        def write(output: str, data: bytes) -> bool:
            began = time.perf_counter()
            try:
                return writer.offer(output, data)
            finally:
                seconds["write"] = seconds.get("write", 0.0) + time.perf_counter() - began

        with ThreadPoolExecutor(max_workers=1) as io:
            for index in todo[start:stop]:
                job = jobs[index]
                began = time.perf_counter()
                try:
                    data = _bytes_of(job, env, bodies)
                except SitegenError as exc:
                    errors.append(exc)
                    continue
                name = (
                    f"template:{job.template}"
                    if isinstance(job, TemplateJob)
                    else ("copy" if isinstance(job, CopyJob) else "feeds")
                )
                seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - began
                written.append((job.output, io.submit(write, job.output, data)))
        staged += [output for output, done in written if done.result()]
        return staged, seconds, errors

    staged: list[str] = []
    totals: dict[str, float] = {}
    errors: dict[tuple[Any, ...], SitegenError] = {}
    for _, stop, (done, seconds, failed) in run_ranges(
        task, len(todo), jobs=processes, threshold=PARALLEL_OUTPUTS, while_waiting=while_waiting
    ):
        staged += done
        for name, value in seconds.items():
            totals[name] = totals.get(name, 0.0) + value
        for error in failed:  # one template mistake fails every page: report it once
            errors.setdefault((error.file, error.line, type(error)), error)
        if progress:
            progress(stop, len(todo))
    if errors:
        raise BuildFailed(list(errors.values()))
    totals["templates"] = sum(v for k, v in totals.items() if k.startswith("template:"))
    return staged, totals


def _bytes_of(job: Job, env: Any, bodies: Mapping[str, PageBody]) -> bytes:
    """The output's bytes: its template rendered, its text made or its file read."""
    if isinstance(job, TemplateJob):
        context = {name: built(value, bodies) for name, value in job.context.items()}
        return render_template(env, job.template, context, source=job.source).encode("utf-8")
    if isinstance(job, TextJob):
        return job.make(*(built(arg, bodies) for arg in job.args)).encode("utf-8")
    return job.path.read_bytes()
