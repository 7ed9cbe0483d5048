"""Every error a user can cause, as one tree.

    SitegenError                 anything sitegen reports without a traceback (exit code 1)
    ├── ConfigError              sitegen.toml or environment settings are invalid
    │   └── ConfigErrors         several of them in one file, reported together
    ├── ContentError             a page, post or media file is invalid (file:line, field)
    │   └── ContentErrors        several of them in one file, reported together
    ├── ThemeError               a template is missing or fails (template:line)
    ├── FileSystemError          the operating system refused a file operation (path, errno)
    ├── BuildFailed              a build collected one or more errors; carries them all
    ├── RemoteError              Supabase answered with an error or could not be reached
    │   └── AuthError            login/signup/session problems
    └── SyncConflict             local and remote both changed the same keys

Each error's str() names where the problem is (file and line, or key), the field when
there is one, what is wrong, and a hint saying what to do. cli.py is the only place that
turns these into messages and exit codes.
"""

from __future__ import annotations

import errno
import os
import reprlib
from collections.abc import Sequence


class SitegenError(Exception):
    """Base class: a user-facing error with a location and a hint."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        self.hint = hint

    @property
    def location(self) -> str:
        """`file:line` (or just `file`), empty when the error has no file."""
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def __str__(self) -> str:
        parts = []
        if self.location:
            parts.append(f"{self.location}:")
        if self.field:
            parts.append(f"{self.field}:")
        parts.append(self.message)
        text = " ".join(parts)
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ConfigError(SitegenError):
    """sitegen.toml (or an environment variable) is missing or invalid."""


class ContentError(SitegenError):
    """A content file is invalid: bad front matter, broken link, missing media."""


class _Several:
    """Several errors of one kind, reported together; the first one gives the location.

    A mixin rather than a class of its own, so that `except ContentError` still catches a file
    with three problems. Picklable (errors cross the build's worker processes).
    """

    def __init__(self, errors: Sequence[SitegenError]) -> None:
        first = errors[0]
        SitegenError.__init__(
            self,  # type: ignore[arg-type]  # a mixin: every subclass is a SitegenError
            first.message,
            file=first.file,
            line=first.line,
            field=first.field,
            hint=first.hint,
        )
        self.errors: Sequence[SitegenError] = list(errors)

    def __str__(self) -> str:
        return "\n".join(SitegenError.__str__(e) for e in self.errors)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.errors,))


class ConfigErrors(_Several, ConfigError):
    """Several problems in sitegen.toml (`errors` lists them, first one first)."""


class ContentErrors(_Several, ContentError):
    """Several problems in one content file (`errors` lists them, first one first)."""

    errors: Sequence[ContentError]


class ThemeError(SitegenError):
    """A template is missing, has a syntax error or fails while rendering."""


class BuildFailed(SitegenError):
    """A build found errors; all of them are reported together and nothing was written."""

    def __init__(self, errors: Sequence[SitegenError]) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        super().__init__(
            f"build failed with {count} error{'s' if count != 1 else ''}; "
            "the output folder was left untouched"
        )

    def __str__(self) -> str:
        return "\n".join([*(str(e) for e in self.errors), self.message])


class FileSystemError(SitegenError):
    """Reading or writing a file failed: permissions, a loop, a file where a folder should be."""


_OS_HINTS = {
    errno.EACCES: "check the permissions of the file and of the folders above it",
    errno.EPERM: "check the permissions of the file and of the folders above it",
    errno.EROFS: "the file system is read-only: choose an output folder you can write to",
    errno.ELOOP: "a symbolic link points back at itself: remove or fix the link",
    errno.ENOTDIR: "a file stands where a folder is needed: move the file away",
    errno.EISDIR: "a folder stands where a file is needed: move the folder away",
    errno.ENAMETOOLONG: "shorten the name (at most 255 bytes per file or folder name)",
    errno.ENOSPC: "the disk is full: free some space",
    errno.EEXIST: "something already exists there: move it away",
}


def from_os_error(exc: OSError) -> FileSystemError:
    """An OSError as a message naming the file (escaped when its name is not valid UTF-8)."""
    name = exc.filename if exc.filename is not None else exc.filename2
    reason = exc.strerror or type(exc).__name__
    return FileSystemError(
        reason[0].lower() + reason[1:],
        file=printable_path(name) if name is not None else None,
        hint=_OS_HINTS.get(exc.errno or 0),
    )


def printable_path(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """A path for a message: bytes that are not UTF-8 shown as `\\xe9` instead of failing."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")


class _Cut(reprlib.Repr):
    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 1000:  # repr() refuses past 4,300 digits, and they say nothing
            return "<a number of more than 300 digits>"
        return super().repr_int(x, level)


_CUT = _Cut()
_CUT.maxstring = _CUT.maxother = 80
_CUT.maxlist = _CUT.maxtuple = _CUT.maxdict = _CUT.maxset = 5
_CUT.maxlevel = 2
QUOTE_LIMIT = 120


def quote(value: object) -> str:
    """`repr(value)` cut to a readable length: a message never prints a huge value whole
    (a 300-byte YAML file can hold a value whose repr is hundreds of megabytes)."""
    text = _CUT.repr(value)
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 3] + "..."


class RemoteError(SitegenError):
    """Supabase refused a request or could not be reached."""


class AuthError(RemoteError):
    """Signing up, logging in or using the stored session failed."""


class SyncConflict(SitegenError):
    """Keys changed both locally and remotely since the last sync; nothing was overwritten."""

    def __init__(self, message: str, *, keys: Sequence[str], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.keys = list(keys)
