"""Writing our own small files (key files, settings) so they are never half-written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol


class FileSystem(Protocol):
    """The file operations atomic_write makes, so a test can record them (T12) and work out
    every state a crash could leave on disk."""

    def write_temp(self, path: Path, data: bytes, mode: int) -> int:
        """Create (or empty) *path*, write all of *data*, return the still-open descriptor."""
        ...

    def fsync_file(self, fd: int) -> None: ...

    def close(self, fd: int) -> None: ...

    def replace(self, source: Path, target: Path) -> None: ...

    def fsync_dir(self, folder: Path) -> None: ...

    def remove(self, path: Path) -> None:
        """Remove *path* if it is there (cleaning up after a failed write)."""
        ...


class OsFileSystem:
    """The real thing: os.* calls."""

    def write_temp(self, path: Path, data: bytes, mode: int) -> int:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        except BaseException:
            os.close(fd)
            raise
        return fd

    def fsync_file(self, fd: int) -> None:
        os.fsync(fd)

    def close(self, fd: int) -> None:
        os.close(fd)

    def replace(self, source: Path, target: Path) -> None:
        os.replace(source, target)

    def fsync_dir(self, folder: Path) -> None:
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def remove(self, path: Path) -> None:
        path.unlink(missing_ok=True)


OS_FILES: FileSystem = OsFileSystem()


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600,
                 fs: FileSystem = OS_FILES) -> None:
    """Write a temp file beside *path*, fsync it, rename it over *path*, fsync the folder."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = fs.write_temp(tmp, data, mode)
        try:
            fs.fsync_file(fd)
        finally:
            fs.close(fd)
        fs.replace(tmp, path)
    except BaseException:
        fs.remove(tmp)
        raise
    if os.name == "posix":  # NTFS journals the rename; Windows can't fsync a folder
        fs.fsync_dir(path.parent)


def owner_only(path: Path) -> None:
    """Readable and writable by this user only, whatever the umask of whoever made it."""
    if os.name == "posix" and path.exists():
        os.chmod(path, 0o600)
