"""The server's side of the checking process: one job at a time, the newest text of each file.

Jobs are queued per client; a newer text from the client whose job is running
cancels it (the worker stops between two steps). A worker that dies, or says
nothing for WATCHDOG seconds while a client waits, is replaced, and the client
is told: a formula that defeats every budget costs a restart, never a frozen page.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections import OrderedDict

WATCHDOG = 60.0
FINAL = ("done", "error", "superseded", "failure")


class Checker:
    """Owns the worker process; ``submit`` a job, messages come back through its callback."""

    def __init__(self):
        self.context = multiprocessing.get_context("spawn")   # no fork of a threaded server
        self.pending: OrderedDict = OrderedDict()             # client -> (seq, name, text, send)
        self.running = None                                   # the client whose job runs
        self.wake = asyncio.Event()
        self.process = self.conn = self.cancel = None
        self.task = None

    def start(self):
        from .worker import main
        self.cancel = self.context.Event()
        self.conn, child = self.context.Pipe()
        self.process = self.context.Process(target=main, args=(child, self.cancel), daemon=True,
                                            name="derive-serve-checker")
        self.process.start()
        child.close()
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._loop())

    def stop(self):
        if self.task is not None:
            self.task.cancel()
        if self.process is not None and self.process.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(2)
            if self.process.is_alive():
                self.process.kill()

    def submit(self, client, seq: int, name: str, text: str, send) -> None:
        """Check ``text`` (file ``name``) for ``client``; ``send(kind, seq, data)`` is awaited
        for each message. An older job of the same client is dropped or cancelled."""
        self.pending.pop(client, None)
        self.pending[client] = (seq, name, text, send)
        if self.running == client:
            self.cancel.set()
        self.wake.set()

    def forget(self, client) -> None:
        self.pending.pop(client, None)
        if self.running == client:
            self.cancel.set()

    async def _recv(self, timeout: float):
        """The worker's next message, None after ``timeout`` s, EOFError if it died."""
        loop = asyncio.get_running_loop()
        ready = await loop.run_in_executor(None, self.conn.poll, timeout)
        return self.conn.recv() if ready else None

    async def _restart(self):
        self.process.kill()
        self.process.join(5)
        self.start()
        await self._until_ready()

    async def _until_ready(self):
        while True:
            msg = await self._recv(WATCHDOG)
            if msg is not None and msg[0] == "ready":
                return
            if msg is None and not self.process.is_alive():
                raise EOFError("the checking process did not start")

    async def _loop(self):
        await self._until_ready()
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.pending:
                client, (seq, name, text, send) = self.pending.popitem(last=False)
                self.running = client
                self.cancel.clear()
                try:
                    await self._run(seq, name, text, send)
                finally:
                    self.running = None

    async def _run(self, seq, name, text, send):
        try:
            self.conn.send((seq, name, text))
            while True:
                msg = await self._recv(WATCHDOG)
                if msg is None:
                    await send("failure", seq, {"message": f"the checker said nothing for "
                                                           f"{WATCHDOG:g} s and was restarted"})
                    await self._restart()
                    return
                kind, _, data = msg
                await send(kind, seq, data)
                if kind in FINAL:
                    return
        except (EOFError, OSError, BrokenPipeError):
            await send("failure", seq, {"message": "the checking process stopped; it was restarted"})
            await self._restart()
