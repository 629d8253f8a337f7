"""SPARQL work in separate processes that can be stopped: a query that runs too long is killed.

Oxigraph cannot cancel a query that is running in a thread, so the server does not run queries
in its own process. Each worker is a process that opens the disk store read-only and answers one
request at a time over a pipe; when a request takes longer than the timeout, the worker is killed
and a new one started in its place. Updates run in a writer process that opens the store
read-write, while no reader is open (Oxigraph does not allow readers beside a writer process);
the readers are started again afterwards and see the new data.

The workers also parse and check each request (``protocol.check``), so the timeout bounds
the parsing of a pathological query as well, and parsing runs in parallel in the workers. An
update is checked by a reader first (``Job.check_only``), so that a refused or malformed update
does not stop the readers.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from segmentum.i18n.messages import text
from segmentum.server.protocol import GRAPH_FORMATS, RESULT_FORMATS, ProtocolError, check, inspect, negotiate

logger = logging.getLogger(__name__)



@dataclass(frozen=True)
class Job:
    """One request for a worker: a query (or an update), what the client accepts, the limits."""

    sparql: str
    kind: str  # "query" or "update"
    accept: str | None = None
    fmt: str | None = None  # the request's ``format`` parameter
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 100_000
    max_bytes: int = 100_000
    max_response_bytes: int = 64 * 1024 * 1024
    lang: str = "ru"
    check_only: bool = False  # check the request (an update, in a reader) without running it


@dataclass(frozen=True)
class Outcome:
    """A worker's answer: an HTTP status, a media type and the body."""

    status: int
    media_type: str
    body: bytes


class TooManyRows(Exception):
    """More solutions than the job allows; raised as soon as one more is read."""


class TooLarge(Exception):
    """The answer is longer than the job allows; raised as soon as one more byte is written."""


# ---------------------------------------------------------------- in the worker process

class _Capped:
    """A buffer the store serialises into; past the byte limit (or the line limit) it stops the writing.

    Raising from ``write`` stops the serializer and with it the evaluation, so an answer that is
    too long is neither evaluated to the end nor held in memory. With ``max_lines`` it counts
    lines: the store writes solutions as TSV, whose format escapes tabs and newlines inside terms,
    so each line after the header is one solution.
    """

    def __init__(self, max_bytes: int, max_lines: int | None = None) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.lines = 0
        self.max_bytes = max_bytes
        self.max_lines = max_lines

    def write(self, data) -> int:
        chunk = bytes(data)
        if self.max_lines is not None:
            self.lines += chunk.count(b"\n")
            if self.lines > self.max_lines:
                raise TooManyRows()
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise TooLarge()
        self.parts.append(chunk)
        return len(chunk)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _at_most(triples, max_rows: int):
    for count, triple in enumerate(triples, 1):
        if count > max_rows:
            raise TooManyRows()
        yield triple


def _run(store, job: Job, media_type: str, sparql: str) -> Outcome:
    """Run ``sparql`` (the checked text of the job) and write the answer within the job's limits."""
    import pyoxigraph as ox

    if job.kind == "update":
        store.update(sparql)
        return Outcome(204, "text/plain", b"")
    options: dict = {}
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    result = store.query(sparql, **options)
    answer = _Capped(job.max_response_bytes)
    if isinstance(result, ox.QueryBoolean):
        result.serialize(answer, format=getattr(ox.QueryResultsFormat, RESULT_FORMATS.get(media_type, "JSON")))
    elif isinstance(result, ox.QuerySolutions):
        # The store writes the solutions itself as TSV (no Python object per term); the buffer counts
        # them and stops the evaluation at max_rows + 1 lines or past the byte limit. Another format
        # is written from the TSV, within the byte limit again; CSV can be shorter than its TSV, so
        # the TSV may be twice as long then.
        fmt = RESULT_FORMATS[media_type]
        tsv = _Capped(job.max_response_bytes if fmt != "CSV" else 2 * job.max_response_bytes, max_lines=job.max_rows + 1)
        result.serialize(tsv, format=ox.QueryResultsFormat.TSV)
        if fmt == "TSV":
            answer = tsv
        else:
            solutions = ox.parse_query_results(tsv.getvalue(), format=ox.QueryResultsFormat.TSV)
            del tsv
            solutions.serialize(answer, format=getattr(ox.QueryResultsFormat, fmt))
    else:
        ox.serialize(_at_most(result, job.max_rows), answer, format=getattr(ox.RdfFormat, GRAPH_FORMATS[media_type]))
    return Outcome(200, media_type, answer.getvalue())


def answer(store, job: Job) -> Outcome:
    """Check the request (size, syntax, no SERVICE or LOAD), choose the format, run it: the whole job."""
    try:
        found = check(job.sparql, job.kind, job.lang, max_size=job.max_bytes)
        if job.check_only:
            return Outcome(200, "text/plain", b"")
        media_type = negotiate(found.form, job.accept, job.fmt, job.lang) if job.kind == "query" else ""
        return _run(store, job, media_type, found.sparql)
    except ProtocolError as exc:
        return Outcome(exc.status, "text/plain", exc.message.encode())
    except SyntaxError as exc:
        return Outcome(400, "text/plain", text("sparql_syntax", job.lang, problem=str(exc)).encode())
    except TooManyRows:
        return Outcome(413, "text/plain", text("serve.too_many_rows", job.lang, limit=job.max_rows).encode())
    except TooLarge:
        return Outcome(413, "text/plain", text("serve.too_large", job.lang, limit=job.max_response_bytes).encode())
    except Exception as exc:
        return Outcome(500, "text/plain", text("serve.store_failed", job.lang, problem=f"{exc.__class__.__name__}: {exc}").encode())


def worker_main(conn: Connection, store_path: str, writable: bool) -> None:
    """The worker's loop: open the store, then answer jobs until the pipe closes."""
    import pyoxigraph as ox

    try:
        store = ox.Store(store_path) if writable else ox.Store.read_only(store_path)
    except OSError as exc:
        conn.send(Outcome(500, "text/plain", f"cannot open the store: {exc}".encode()))
        return
    inspect("ASK {}", "query")  # builds the grammar before the first request
    conn.send(Outcome(200, "text/plain", b"ready"))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            break
        outcome = answer(store, job)
        if writable:
            store.flush()
        conn.send(outcome)


# ---------------------------------------------------------------- in the server process

class Worker:
    """A worker process and its end of the pipe."""

    def __init__(self, store_path: Path, *, writable: bool = False) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=worker_main, args=(child, str(store_path), writable), daemon=True)
        self.process.start()
        self.abandoned = False  # set when its caller went away while it worked on a job
        child.close()
        hello = self.conn.recv() if self.conn.poll(60) else Outcome(500, "text/plain", b"the worker did not start")
        if hello.status != 200:
            self.stop()
            raise OSError(hello.body.decode())

    def stop(self, *, graceful: bool = False) -> None:
        """Kill the process, or with ``graceful`` let it close the store and exit first."""
        if graceful:
            self.conn.close()
            self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


class Timeout(Exception):
    """The query ran longer than allowed; its worker was killed."""


class Busy(Exception):
    """As many requests wait for a worker as the queue holds: the request is refused at once."""


class WorkerPool:
    """Reader workers over a disk store, a timeout per job, a bounded queue, and updates in between.

    ``run`` waits for an idle reader, unless ``max_queue`` requests already wait (then ``Busy``).
    A job that takes longer than ``timeout`` seconds raises ``Timeout``, and a job whose caller is
    cancelled (its client went away) stops: either way its worker is killed at once and a new one
    started in the background, which joins the idle ones when ready. ``update`` waits until no
    reader is busy, stops them, runs the update in a writer process (with the same timeout) and
    starts the readers again.
    """

    def __init__(self, store_path: Path, *, size: int = 2, timeout: float = 10.0, max_queue: int | None = None) -> None:
        self.store_path = store_path
        self.size = size
        self.timeout = timeout
        self.max_queue = 2 * size if max_queue is None else max_queue
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._all: list[Worker] = []
        self._gate = asyncio.Lock()  # held by an update while readers are stopped
        self._busy = 0
        self._waiting = 0  # requests admitted that have no worker yet
        self._quiet = asyncio.Event()
        self._quiet.set()
        self._spawning: set[asyncio.Task] = set()

    async def start(self) -> None:
        workers = await asyncio.gather(*(asyncio.to_thread(Worker, self.store_path) for _ in range(self.size)))
        for w in workers:
            self._all.append(w)
            self._idle.put_nowait(w)

    async def close(self) -> None:
        await self._settle()
        for w in self._all:
            await asyncio.to_thread(w.stop, graceful=True)
        self._all.clear()

    async def _settle(self) -> None:
        """Wait for the workers being started in place of killed ones."""
        while self._spawning:
            await asyncio.gather(*list(self._spawning), return_exceptions=True)

    async def _answer_ready(self, worker: Worker) -> bool:
        """Wait until the worker answers (True) or the timeout passes (False), without a thread:
        a cancelled wait leaves nothing behind that still reads the pipe."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = worker.conn.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(True))
        try:
            return await asyncio.wait_for(ready, self.timeout)
        except asyncio.TimeoutError:
            return False
        finally:
            loop.remove_reader(fd)

    async def _exchange(self, worker: Worker, job: Job) -> Outcome:
        started = time.perf_counter()
        worker.conn.send(job)
        try:
            ready = await self._answer_ready(worker)
        except asyncio.CancelledError:
            worker.abandoned = True  # still working on the job: only killing it stops the job
            raise
        if not ready:
            raise Timeout()
        # the answer is written: read it to the end even if the caller is cancelled meanwhile,
        # so that the worker is left idle and the pipe in order
        reading = asyncio.ensure_future(asyncio.to_thread(worker.conn.recv))
        try:
            outcome = await asyncio.shield(reading)
        except asyncio.CancelledError:
            await asyncio.wait([reading])
            raise
        logger.debug("%s in %.1f ms", job.kind, (time.perf_counter() - started) * 1000)
        return outcome

    def _replace_later(self, worker: Worker) -> None:
        """Kill the worker now and start another in the background; it joins the idle ones when ready."""
        worker.process.kill()
        self._all.remove(worker)

        async def respawn() -> None:
            await asyncio.to_thread(worker.stop)
            try:
                fresh = await asyncio.to_thread(Worker, self.store_path)
            except OSError as exc:
                logger.error("a query worker could not be started again: %s", exc)
                return
            self._all.append(fresh)
            self._idle.put_nowait(fresh)

        task = asyncio.get_running_loop().create_task(respawn())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    def _admit(self) -> None:
        """Count a request in, or refuse it when it would wait beyond the queue."""
        if self._waiting + 1 - self._idle.qsize() > self.max_queue:
            raise Busy()
        self._waiting += 1

    async def run(self, job: Job) -> Outcome:
        self._admit()
        try:
            async with self._gate:
                self._busy += 1
                self._quiet.clear()
        except BaseException:
            self._waiting -= 1
            raise
        try:
            try:
                worker = await self._idle.get()
            finally:
                self._waiting -= 1
            try:
                outcome = await self._exchange(worker, job)
            except Timeout:
                self._replace_later(worker)
                worker = None
                raise
            except asyncio.CancelledError:
                if worker.abandoned:
                    self._replace_later(worker)
                    worker = None
                raise
            except (EOFError, OSError):
                self._replace_later(worker)
                worker = None
                return Outcome(500, "text/plain", b"the query worker stopped; it was restarted")
            finally:
                if worker is not None:
                    self._idle.put_nowait(worker)
            return outcome
        finally:
            self._busy -= 1
            if self._busy == 0:
                self._quiet.set()

    async def update(self, job: Job) -> Outcome:
        self._admit()
        waiting = True
        try:
            async with self._gate:
                self._waiting -= 1
                waiting = False
                await self._quiet.wait()
                await self._settle()
                readers = list(self._all)
                while not self._idle.empty():
                    self._idle.get_nowait()
                for w in readers:
                    await asyncio.to_thread(w.stop, graceful=True)
                self._all.clear()
                try:
                    writer = await asyncio.to_thread(Worker, self.store_path, writable=True)
                    try:
                        outcome = await self._exchange(writer, job)
                    except BaseException:
                        await asyncio.to_thread(writer.stop)
                        raise
                    await asyncio.to_thread(writer.stop, graceful=True)
                    return outcome
                finally:
                    await self.start()
        finally:
            if waiting:
                self._waiting -= 1
