"""The build pipeline: read -> parse -> Markdown -> assemble -> plan -> render -> write.

Each phase is a call into the module that owns it; this module only passes values along and
keeps the incremental bookkeeping: documents come from the last build's stored entries (or
the DocStore) while their bytes are unchanged, entries are reused while what they are made
of is, and an output is rendered only when its fingerprint or its file changed. `memory`
(render/memory.py) is what a `Builder` keeps between builds in one process.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import itertools
import os
import pickle
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

from sitegen.authors import read_profiles
from sitegen.cache import (
    BuildState,
    DocStore,
    FileHasher,
    load_entries,
    output_versions,
    save_entries,
    save_state,
)
from sitegen.config import SiteConfig, load_config, normalise_base_url
from sitegen.data_files import DATA_DIR, read_data
from sitegen.errors import BuildFailed, ConfigError, SitegenError, ThemeError
from sitegen.fsio import is_settled
from sitegen.markdown import MarkdownOptions
from sitegen.markdown.highlight import highlights_reused
from sitegen.model import Document, Media
from sitegen.paths import CONTENT_DIR, holds_site_files, state_dir
from sitegen.render.documents import DocRecord, PhaseTimes, process_file
from sitegen.render.fingerprint import Fingerprinter
from sitegen.render.inputs import BuildOptions, BuildResult, build_now, scan_inputs
from sitegen.render.memory import BuildMemory
from sitegen.render.parallel import after_first, map_ranges, worker_count
from sitegen.render.plan import CopyJob, Job, TemplateJob, TextJob, built, page_keys, plan_site
from sitegen.render.renders import StoredRenders, pack_body
from sitegen.shortcodes import Shortcodes
from sitegen.site import EntryMemo, Site, assemble, select_documents
from sitegen.sources.local import (
    DOCUMENT_DIRS,
    MARKDOWN_SUFFIXES,
    MEDIA_ROOT,
    PAGES_ROOT,
    Stats,
    media_path,
    scan_tree,
)
from sitegen.theme import (
    TemplateValueError,
    ThemePaths,
    compiled_environment,
    load_template,
    make_environment,
    render_template,
    static_files,
    template_files,
    theme_paths,
    uses_collections,
)
from sitegen.views import Page
from sitegen.writer import OutputWriter, WriteReport

Progress = Callable[[int, int], None] | None
# Forking two workers costs ~50-100 ms and saves half of ~1.8 ms per document (Markdown) and of
# ~0.8 ms per output (templates + write): below these counts it does not pay (bench/README.md).
PARALLEL_DOCUMENTS = 100
PARALLEL_OUTPUTS = 200


def run_build(
    site_dir: Path,
    options: BuildOptions,
    key: str,
    progress: Progress,
    started: float,
    memory: BuildMemory,
    scanned: tuple[int, Stats] | None,
    trust_outputs: bool = False,
) -> BuildResult:
    """The full build. `scanned` is (time, stats) of the inputs when the caller has them (from a
    scan, or from the previous build's stats updated for the paths a watcher saw change).
    `trust_outputs`: the output folder is as the last build left it (a watched preview), so
    it need not be scanned."""
    times = PhaseTimes()
    state = memory.state
    config = _effective_config(site_dir, options)
    out_dir = _output_dir(site_dir, config, options)
    theme = theme_paths(site_dir, config.theme)
    input_dirs = (CONTENT_DIR, DATA_DIR, *(_relative(site_dir, d) for d in theme.input_dirs()))
    if scanned is None or state is None or state.input_dirs != input_dirs:
        scanned = (time.time_ns(), scan_inputs(site_dir, input_dirs))
    scanned_ns, inputs = scanned
    hasher = FileHasher(
        state.file_hashes if state and options.use_cache else {}, state.scanned_ns if state else 0
    )
    times.add({"read": time.perf_counter() - started})

    early_env: list[Any] = []

    def compile_theme() -> None:  # Jinja's import and compiles, while the Markdown workers work
        if memory.env is None:
            early_env.append(compiled_environment(theme, _jinja_cache(site_dir)))

    shortcodes = Shortcodes(site_dir, theme.template_dirs)
    records = _load_documents(
        site_dir,
        inputs,
        config,
        shortcodes,
        options,
        times,
        progress,
        memory,
        key,
        meanwhile=compile_theme,
    )
    racy = _racy_hashes(inputs, scanned_ns, records)
    md_options, store_key = _markdown_options(config, shortcodes)
    renders = StoredRenders(site_dir, records, store_key, md_options)
    with times.phase("assemble"):
        site, next_due = _assemble(
            site_dir, store_key, config, options, records, renders, inputs, hasher, memory, theme
        )
        saved: Callable[[], None] | None = None
        if not memory.retain:  # keep no outline past this point (`sitegen serve` keeps its records)
            lite = [r if r.render is None else dataclasses.replace(r, render=None) for r in records]
            renders.forget_outlines(lite)
            if options.use_cache:  # the next `sitegen build` starts from these
                memo = memory.entries
                saved = functools.partial(
                    save_entries,
                    site_dir,
                    key,
                    (store_key, memo.info, memo.links),
                    ({r.path: r for r in lite}, memo.made),
                )
    search: list[Job] = []
    if config.search.enabled:
        from sitegen.search.stage import cache_path, search_jobs

        with times.phase("search"):
            search = search_jobs(
                site, records, lambda k: renders[k].body.terms, cache_path(site_dir, key), store_key
            )
    del records
    with times.phase("plan"):
        static = {
            name: (path, hasher.sha256(path, str(path), _stat(path)))
            for name, path in static_files(theme).items()
        }
        theme_templates = template_files(theme)
        templates = {
            name: hasher.sha256(path, str(path), _stat(path))
            for name, path in theme_templates.items()
        }
        jobs = (
            plan_site(
                site, static, site_dir / MEDIA_ROOT, collections=uses_collections(theme_templates)
            )
            + search
        )
        salt = repr(
            (
                output_versions(),
                config.model_dump_json(),
                sorted(templates.items()),
                sorted((n, s) for n, (_, s) in static.items()),
            )
        )
        same_output = state is not None and state.out_dir == str(out_dir) and options.use_cache
        previous = state.outputs if same_output and state is not None else {}
        if trust_outputs and same_output and state is not None:  # a builder wrote them last
            existing = {path: (size, mtime) for path, (_, size, mtime) in state.outputs.items()}
        else:
            existing = scan_tree(out_dir, "")
        fingerprints: list[str] = []

        def fingerprint() -> None:
            fingerprints[:] = _fingerprints(site, jobs, salt, memory)

        if previous:
            fingerprint()
            todo = [
                i
                for i, job in enumerate(jobs)
                if previous.get(job.output)
                != (fingerprints[i], *existing.get(job.output, (-1, -1)))
            ]
        else:  # every output is made: fingerprints are for the next build, and can wait (below)
            todo = list(range(len(jobs)))
    env = _environment(
        site_dir,
        theme,
        templates,
        _template_globals(site, static),
        memory,
        early_env[0] if early_env else None,
    )
    _check_templates(env, jobs, todo)

    def meanwhile() -> None:  # while the page workers render
        if saved is not None:
            saved()
        if not fingerprints:
            fingerprint()

    writer = OutputWriter(out_dir, take_over=options.clean)
    writer.prepare(existing, known=previous)
    try:
        staged, produce_times = _produce(
            jobs, todo, env, writer, options, progress, renders, meanwhile
        )
        with times.phase("write"):
            produced = {job.output for job in jobs}
            report = writer.commit(staged, [path for path in existing if path not in produced])
    except BaseException:
        writer.abort()
        raise
    finally:
        renders.close()
    times.add(produce_times)
    with times.phase("write"):
        final = _output_stats(out_dir, existing, report)
        memory.state = BuildState(
            version=output_versions(),
            out_dir=str(out_dir),
            input_dirs=input_dirs,
            inputs=inputs,
            outputs={
                job.output: (fingerprints[i], *final[job.output]) for i, job in enumerate(jobs)
            },
            file_hashes=hasher.hashes,
            next_due=next_due,
            scanned_ns=scanned_ns,
            racy=racy,
            documents=len(site.posts) + len(site.pages),
            warnings=site.warnings,
        )
        save_state(site_dir, key, memory.state)
    return BuildResult(
        documents=len(site.posts) + len(site.pages),
        written=len(report.written),
        unchanged=len(jobs) - len(report.written),
        removed=len(report.removed),
        seconds=time.perf_counter() - started,
        changed_paths=tuple(sorted((*report.written, *report.removed))),
        warnings=site.warnings,
        timings=dict(times.seconds),
    )


def _environment(
    site_dir: Path,
    theme: ThemePaths,
    templates: Mapping[str, str],
    globals_: dict[str, Any],
    memory: BuildMemory,
    early: Any | None,
) -> Any:
    """The Jinja environment: a builder keeps its compiled templates while no template changed;
    else the one compiled `early` (while the Markdown ran), or a new one."""
    env_key = (theme.template_dirs, sorted(templates.items()))
    if memory.env is not None and memory.env_key == env_key:
        from sitegen.fragments import forget_fragments  # imports Jinja, which only builds need

        memory.env.globals.update(globals_)  # templates see env.globals through a ChainMap
        forget_fragments(memory.env)
        return memory.env
    if early is not None:
        env = early
        env.globals.update(globals_)
    else:
        env = make_environment(theme, globals_, _jinja_cache(site_dir))
    if memory.retain:
        memory.env, memory.env_key = env, env_key
    return env


def _jinja_cache(site_dir: Path) -> Path:
    """The folder of compiled templates. Jinja reuses its compiled code across its own versions
    (its cache's tag changes only with its bytecode format), so the folder is per versions."""
    name = hashlib.blake2b(output_versions().encode(), digest_size=8).hexdigest()
    return state_dir(site_dir) / "jinja" / name


def _assemble(
    site_dir: Path,
    store_key: str,
    config: SiteConfig,
    options: BuildOptions,
    records: Sequence[DocRecord],
    renders: StoredRenders,
    inputs: Stats,
    hasher: FileHasher,
    memory: BuildMemory,
    theme: ThemePaths,
) -> tuple[Site, dt.datetime | None]:
    """The Site from the documents (all their errors at once), and when a future post is due."""
    errors = [error for record in records for error in record.errors]
    if errors:
        raise BuildFailed(errors)
    documents = [r.document for r in records if r.document is not None]
    selected, next_due = select_documents(
        documents, drafts=options.drafts, future=options.future, now=build_now()
    )
    media = [
        Media(media_path(p), hasher.sha256(site_dir / p, p, stat), stat[0])
        for p, stat in inputs.items()
        if p.startswith(MEDIA_ROOT + "/")
    ]
    assets = [
        Media(p.removeprefix(PAGES_ROOT + "/"), hasher.sha256(site_dir / p, p, stat), stat[0])
        for p, stat in inputs.items()
        if p.startswith(PAGES_ROOT + "/") and not p.endswith(".md")
    ]
    versions = {  # a document's rendering changes with its bytes and those of its includes
        r.document.key: f"{store_key}:{r.path}:{r.sha256}" + "".join(sha for _, sha in r.includes)
        for r in records
        if r.document is not None
    }
    profiles, profile_warnings = read_profiles(site_dir, inputs, config)
    if profile_warnings and options.strict:
        raise BuildFailed(profile_warnings)
    site = assemble(
        config,
        selected,
        renders,
        media,
        strict=options.strict,
        versions=versions,
        memo=memory.entries,
        lazy_pages=not memory.retain,
        page_body=renders.page_body,
        static=static_files(theme),
        data=read_data(site_dir),
        assets=assets,
        unbuilt_pages=_left_out_pages(documents, selected),
        profiles=profiles,
    )
    if profile_warnings:
        site = dataclasses.replace(site, warnings=(*profile_warnings, *site.warnings))
    return site, next_due


def _left_out_pages(documents: Sequence[Document], selected: Sequence[Document]) -> set[str]:
    """Paths under content/pages/ of the pages a build leaves out (drafts, future pages)."""
    built = {d.key for d in selected}
    return {
        d.source.removeprefix(PAGES_ROOT + "/")
        for d in documents
        if d.kind == "page" and d.key not in built
    }


def _effective_config(site_dir: Path, options: BuildOptions) -> SiteConfig:
    config = load_config(site_dir)
    if options.base_url is None:
        return config
    try:
        base_url = normalise_base_url(options.base_url)
    except ValueError as exc:
        raise ConfigError(str(exc), field="base_url", hint="pass an absolute http(s) URL") from None
    return config.model_copy(update={"base_url": base_url})


def _output_dir(site_dir: Path, config: SiteConfig, options: BuildOptions) -> Path:
    """The output folder; never the site itself, a folder holding it, or one of its inputs."""
    out_dir = (site_dir / (options.output_dir or config.output_dir)).resolve()
    if holds_site_files(site_dir, out_dir):
        raise ConfigError(
            f"{out_dir} cannot be the output folder: it holds the site's own files",
            field="output_dir",
            hint='use a folder of its own, e.g. "public"',
        )
    return out_dir


def _relative(site_dir: Path, folder: Path) -> str:
    return (
        folder.relative_to(site_dir).as_posix() if folder.is_relative_to(site_dir) else str(folder)
    )


def _stat(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _markdown_options(config: SiteConfig, shortcodes: Shortcodes) -> tuple[MarkdownOptions, str]:
    """The Markdown options, and the key naming them (with the versions of sitegen and of the
    libraries that render, and the shortcode templates) in the DocStore."""
    md = config.markdown
    options = MarkdownOptions(
        allow_html=md.allow_html,
        iframe_hosts=md.iframe_hosts,
        highlight=md.highlight,
        toc_max_level=md.toc_max_level,
        search_terms=config.search.enabled,
    )
    # the records hold limit errors, so the limits name the store too
    return options, f"{output_versions()}:{options!r}:{shortcodes.digest}:{config.limits!r}"


def _load_documents(
    site_dir: Path,
    inputs: Stats,
    config: SiteConfig,
    shortcodes: Shortcodes,
    options: BuildOptions,
    times: PhaseTimes,
    progress: Progress,
    memory: BuildMemory,
    key: str,
    meanwhile: Callable[[], None] | None = None,
) -> list[DocRecord]:
    """A record per content file, from the DocStore while the file's bytes (and those of the
    files its shortcodes included) are unchanged. `meanwhile` runs in this process while the
    workers render (see `after_first`)."""
    md_options, store_key = _markdown_options(config, shortcodes)
    paths = [
        p
        for p in inputs
        if p.endswith(MARKDOWN_SUFFIXES) and p.startswith(tuple(d + "/" for d in DOCUMENT_DIRS))
    ]
    stored = load_entries(site_dir, key) if memory.records is None and options.use_cache else None
    if memory.records is not None and memory.records_key == store_key:
        cached = memory.records
    elif stored is not None and stored[0][0] == store_key:  # records without renders, and entries
        (_, info, links), (cached, made) = stored
        memory.entries = EntryMemo(info, links, made)
    elif options.use_cache:
        store = DocStore(site_dir, store_key)
        try:
            cached = store.load()
        finally:
            store.close()
    else:
        cached = {}
    records: dict[str, DocRecord] = {}
    changed: list[
        tuple[str, str, bytes, None]
    ] = []  # (path, sha256, pickled record, None) of reused files
    todo: list[str] = []
    for path in paths:
        record = cached.get(path)
        if record is not None and not _same_includes(site_dir, record):
            todo.append(path)
        elif (
            record is not None
            and (record.size, record.mtime_ns) == inputs[path]
            and is_settled(record.mtime_ns, record.checked_ns)
        ):
            records[path] = record
        elif record is not None and _same_bytes(site_dir / path, record.sha256):
            size, mtime_ns = inputs[path]
            records[path] = dataclasses.replace(
                record, size=size, mtime_ns=mtime_ns, checked_ns=time.time_ns()
            )
            if record.render is not None:  # else the store keeps the row it has
                changed.append((path, record.sha256, pickle.dumps(records[path], protocol=5), None))
        else:
            todo.append(path)

    stores: dict[int, DocStore] = {}

    def own_store() -> DocStore:
        """This process's connection, kept for all its ranges: a connection must not cross a
        fork, and closing the last one checkpoints the WAL (with an fsync) each time. A worker
        never closes its own; what it committed is in the WAL all the same."""
        if os.getpid() not in stores:
            stores[os.getpid()] = DocStore(site_dir, store_key)
        return stores[os.getpid()]

    builder_pid = os.getpid()

    def task(start: int, stop: int) -> tuple[list[DocRecord] | _Pickles, dict[str, float]]:
        """Records with outlines: the bodies go to the store, not to this build's memory. A
        forked worker returns the records as the pickles it made for the store, so they
        cross to the builder without being pickled a second time."""
        local = PhaseTimes()
        done: list[DocRecord] = []
        rows = []
        code = []
        store = own_store()
        for path in todo[start:stop]:
            with highlights_reused(store.highlights(path) if options.use_cache else {}) as made:
                record, body = (
                    process_file(site_dir, path, md_options, local, shortcodes, config.limits),
                    None,
                )
            code.append((path, made))
            if record.render is not None:
                body = pack_body(record.render.page_body())
                record = dataclasses.replace(record, render=record.render.outline())
            rows.append((record.path, record.sha256, pickle.dumps(record, protocol=5), body))
            done.append(record)
        store.update(rows, [])
        store.keep_highlights(code)
        return (
            done if os.getpid() == builder_pid else _Pickles.of([row[2] for row in rows])
        ), local.seconds

    workers = worker_count(options.jobs, len(todo), PARALLEL_DOCUMENTS)
    if workers > 1:
        DocStore(site_dir, store_key).close()  # create it now: two workers would race to create it
    try:
        for _, stop, (done, seconds) in after_first(
            map_ranges(task, len(todo), workers), meanwhile
        ):
            times.add(seconds)
            records.update(
                (record.path, record)
                for record in (done.records() if isinstance(done, _Pickles) else done)
            )
            if progress:
                progress(stop, len(todo))
        if changed or any(p not in records for p in cached):
            own_store().update(changed, [p for p in cached if p not in records])
    finally:
        for store in stores.values():  # this process's only: the workers' are in their copies
            store.close()
    if memory.retain:
        memory.records, memory.records_key = records, store_key
    return [records[p] for p in paths]


class _Pickles(NamedTuple):
    """Pickles as one bytes object and where each ends: one allocation, returned to the system
    as a whole once read, where a thousand bytes objects of ~1 KB would leave the builder's
    heap fragmented (+1 KB of resident memory per document)."""

    blob: bytes
    ends: list[int]

    @classmethod
    def of(cls, pickles: list[bytes]) -> _Pickles:
        return cls(b"".join(pickles), list(itertools.accumulate(map(len, pickles))))

    def records(self) -> Iterator[DocRecord]:
        view, start = memoryview(self.blob), 0
        for end in self.ends:
            yield pickle.loads(view[start:end])
            start = end


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


def _same_bytes(path: Path, sha256: str) -> bool:
    return hashlib.sha256(path.read_bytes()).hexdigest() == sha256


def _same_includes(site_dir: Path, record: DocRecord) -> bool:
    """True when every file the record's shortcodes included still has the same bytes."""
    try:
        return all(_same_bytes(site_dir / path, sha) for path, sha in record.includes)
    except OSError:
        return False


def _fingerprints(site: Site, jobs: Sequence[Job], salt: str, memory: BuildMemory) -> list[str]:
    known = dict(memory.views)
    for entry in (*site.posts, *site.pages):  # their views' digests come from what they are made of
        if entry.digests is not None:
            known[id(entry.summary)] = (entry.summary, entry.digests[1])
            if isinstance(entry.page, Page):  # a PageRef carries its digest
                known[id(entry.page)] = (entry.page, entry.digests[0])
    fingerprinter = Fingerprinter(salt, known)
    before = memory.page_prints if memory.page_prints[0] == salt else (salt, {})
    page_prints: dict[str, tuple[str, tuple[str, ...], tuple[Any, ...], str]] = {}
    result = []
    for job in jobs:
        if isinstance(job, TemplateJob):
            names, values = tuple(job.context), tuple(job.context.values())
            last = before[1].get(job.output)
            if (
                last is not None
                and last[:2] == (job.template, names)
                and _same_values(last[2], values)
            ):
                result.append(last[3])
            else:
                result.append(fingerprinter.of((job.template, job.context)))
            page_prints[job.output] = (job.template, names, values, result[-1])
        elif isinstance(job, TextJob):
            result.append(fingerprinter.of((job.make.__name__, job.args)))
        else:
            result.append(fingerprinter.of(("copy", job.sha256)))
    if memory.retain:
        memory.views, memory.page_prints = fingerprinter.views, (salt, page_prints)
    return result


def _same_values(before: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    """True when a page's context values are the very same objects (views and paginators are
    immutable) or equal plain values as last time: then so is its fingerprint."""
    return len(before) == len(now) and all(
        a is b or (type(a) is type(b) and type(a) in (str, int, float, bool) and a == b)
        for a, b in zip(before, now, strict=False)
    )


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
    options: BuildOptions,
    progress: Progress,
    renders: StoredRenders,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[list[str], dict[str, float]]:
    """Render the outputs in `todo` and stage those whose bytes changed; every error is collected.
    The bodies of their pages are read ahead from `renders` a block at a time. `meanwhile`
    runs in this process once the workers have started (it would otherwise hold up the build
    between the two parallel phases)."""
    # A feed costs as much as several pages: feeds go first, so the small ranges that end the
    # phase (see map_ranges) hold cheap outputs and the workers finish together.
    todo = sorted(todo, key=lambda index: not isinstance(jobs[index], TextJob))

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

        block_starts = _page_blocks(jobs, todo[start:stop])
        with ThreadPoolExecutor(max_workers=1) as io:
            for index in todo[start:stop]:
                job = jobs[index]
                if index in block_starts:
                    renders.read_ahead(block_starts[index])
                began = time.perf_counter()
                try:
                    data = _bytes_of(job, env)
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
    workers = worker_count(options.jobs, len(todo), PARALLEL_OUTPUTS)
    for _, stop, (done, seconds, failed) in after_first(
        map_ranges(task, len(todo), workers), meanwhile
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


def _page_blocks(jobs: Sequence[Job], todo: Sequence[int], size: int = 64) -> dict[int, list[str]]:
    """Job index -> the document keys of the pages shown by it and the jobs after it, up to
    about `size` pages: the blocks whose bodies are read ahead together."""
    blocks: dict[int, list[str]] = {}
    keys: list[str] = []
    for index in todo:
        job = jobs[index]
        values = (
            job.context.values()
            if isinstance(job, TemplateJob)
            else (job.args if isinstance(job, TextJob) else ())
        )
        found = [key for value in values for key in page_keys(value)]
        if found and (not keys or len(keys) >= size):
            keys = blocks[index] = []
        keys += found
    return blocks


def _bytes_of(job: Job, env: Any) -> bytes:
    if isinstance(job, TemplateJob):
        context = {name: built(value) for name, value in job.context.items()}
        return render_template(env, job.template, context, source=job.source).encode("utf-8")
    if isinstance(job, TextJob):
        return job.make(*(built(arg) for arg in job.args)).encode("utf-8")
    return job.path.read_bytes()
