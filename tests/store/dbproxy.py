"""A TCP proxy on loopback in front of PostgreSQL that a test can freeze (connections stay open,
nothing gets through) or kill (connections dropped, new ones refused)."""

from __future__ import annotations

import asyncio
import contextlib


class DatabaseProxy:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.server: asyncio.Server | None = None
        self.flowing = asyncio.Event()
        self.flowing.set()
        self.pipes: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._connect, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    def freeze(self) -> None:
        self.flowing.clear()

    def thaw(self) -> None:
        self.flowing.set()

    async def kill(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for pipe in list(self.pipes):
            pipe.close()

    async def _connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self.pipes |= {writer, upstream_writer}
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(self._pump(reader, upstream_writer), self._pump(upstream_reader, writer))

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await reader.read(65536):
                await self.flowing.wait()
                writer.write(data)
                await writer.drain()
        writer.close()
        self.pipes.discard(writer)
