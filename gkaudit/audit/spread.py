"""Tasks spread over forked processes: the batch rules of a scan with ``--jobs`` > 1.

Each process (this one and ``processes - 1`` forked children) takes the next task in turn
until none is left, so a long task (one rule over 50,000 reports) does not hold up the
others. A task writes what it makes to the ``Spool`` it is given (gkaudit/base/spool.py: a
child's is opened here before the fork and read here after it) and returns a small, picklable
result; results come back in task order. Forked children inherit the scan's state (the
digests' spill files, the roster) without copying it. Where fork is not available (Windows),
or a semaphore cannot be made, the tasks run here, one after another.
"""

from __future__ import annotations

import pickle
import signal
from collections.abc import Callable
from typing import Any

from gkaudit.base.spool import Spool

Task = Callable[[int, Spool], Any]  # (task index, where to write) -> a small result


def spread(
    task: Task,
    count: int,
    processes: int,
    spool: Spool,
    after_fork: Callable[[], None] | None = None,
) -> tuple[dict[int, tuple[Spool, Any]], list[Spool], list[int]]:
    """Run ``task(i, spool)`` for i in range(count) over ``processes`` processes.

    Returns each finished task's (the spool it wrote to, its result) by index; the children's
    spools (the caller closes them once it has read them); and the exit codes of children that
    ended abnormally — a task missing from the results ran in one of them and is lost.
    ``after_fork`` runs first in each child (e.g. to open its own database connection)."""
    context = _fork_context() if processes > 1 and count > 1 else None
    counter = _counter(context) if context is not None else None
    if context is None or counter is None:
        return {index: (spool, task(index, spool)) for index in range(count)}, [], []

    claim = _claimer(counter, count)
    children: list[tuple[Any, Any, Spool]] = []
    results: dict[int, tuple[Spool, Any]] = {}
    try:
        for _ in range(min(processes, count) - 1):
            own = Spool()
            receive, send = context.Pipe(duplex=False)
            child = context.Process(
                target=_child, args=(task, claim, own, send, after_fork), daemon=True
            )
            try:
                child.start()
            except OSError:  # no process to be had (limits, memory): fewer, or this one alone
                own.close()
                receive.close()
                send.close()
                break
            send.close()
            children.append((child, receive, own))
        while (index := claim()) is not None:
            results[index] = (spool, task(index, spool))
        for child, receive, own in children:
            results.update(_collect(receive, own))
            child.join()
    finally:
        for child, receive, _own in children:
            receive.close()
            if child.is_alive():
                child.terminate()
                child.join()
    failed = [child.exitcode for child, _, _ in children if child.exitcode != 0]
    return results, [own for _, _, own in children], failed


def _fork_context() -> Any:
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def _counter(context: Any) -> Any:
    """A shared counter of the next task (None where no semaphore can be made: no /dev/shm)."""
    try:
        return context.Value("i", 0)
    except OSError:
        return None


def _claimer(counter: Any, count: int) -> Callable[[], int | None]:
    def claim() -> int | None:
        with counter.get_lock():
            index: int = counter.value
            if index >= count:
                return None
            counter.value = index + 1
        return index

    return claim


def _child(
    task: Task,
    claim: Callable[[], int | None],
    spool: Spool,
    send: Any,
    after_fork: Callable[[], None] | None,
) -> None:
    """A child: tasks in turn; each result pickled into its spool, only its place sent (a
    message that never fills the pipe while the parent is busy with a task of its own)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if after_fork is not None:
        after_fork()
    while (index := claim()) is not None:
        offset, size = spool.put(pickle.dumps(task(index, spool), pickle.HIGHEST_PROTOCOL))
        send.send((index, offset, size))
    send.close()


def _collect(receive: Any, spool: Spool) -> dict[int, tuple[Spool, Any]]:
    results: dict[int, tuple[Spool, Any]] = {}
    while True:
        try:
            index, offset, size = receive.recv()
        except (EOFError, OSError):  # the child is done (or died: its tasks are missing)
            return results
        results[index] = (spool, pickle.loads(spool.get(offset, size)))
