"""What can be wrong with a part of a package, in words for the damaged-part line, and the
stream that keeps a part's unpacking within what its zip directory declared."""

from __future__ import annotations

import zipfile
import zlib
from typing import IO, Callable

from lxml import etree

from ..problems import WorkbookError


class PartBytes(bytes):
    """A part's bytes, knowing what they are, so that XML that does not parse is reported as a
    damaged part of a named file wherever it is parsed."""

    damaged: Callable[[str], WorkbookError]


def xml_fault(exc: etree.XMLSyntaxError) -> str:
    """What is wrong with a part's XML, in words: '... is <this>'."""
    line = f" (line {exc.lineno})" if exc.lineno else ""
    if "encoding" in str(exc.msg):
        return f"is not UTF-8 text{line}"
    if "Document is empty" in str(exc.msg):
        return "is empty"
    return f"is not well-formed XML{line}"


def size_text(size: int) -> str:
    if size >= 10_000_000:
        return f"{size / 1_000_000:,.0f} MB"
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1000:.1f} KB"


# What zipfile and zlib raise for members that are corrupt, cut short or of a kind not supported.
ZIP_FAULTS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError)


def zip_fault(exc: BaseException) -> str:
    if isinstance(exc, NotImplementedError):
        return "is packed with a compression method this tool cannot unpack"
    if isinstance(exc, RuntimeError) and "password" in str(exc).lower():
        return "is encrypted"
    return "is corrupt (its packed data does not unpack to what the zip directory records)"


class GuardedStream:
    """A part's stream that turns zip faults into the damaged-part line, and stops a part that
    unpacks to more than ``allowed`` bytes (what its zip directory declared, within the limit)
    before it fills memory, whatever zipfile itself checks."""

    def __init__(self, stream: IO[bytes], damaged: Callable[[str], WorkbookError], allowed: int):
        self._stream, self._damaged = stream, damaged
        self._left = allowed

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._stream.read(self._left + 1 if size < 0 or size > self._left else size)
        except ZIP_FAULTS as exc:
            raise self._damaged(zip_fault(exc)) from exc
        self._left -= len(data)
        if self._left < 0:
            raise self._damaged("unpacks to more than its zip directory says")
        return data

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> "GuardedStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
