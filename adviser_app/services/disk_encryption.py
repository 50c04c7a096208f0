"""Is the case book folder on an encrypted disk? A best-effort check, with no administrator
rights, so the app can warn when it cannot confirm full-disk encryption (reliability.md F1).

The case book is encrypted whatever this says; the check is about everything else on the
laptop (exported letters, the operating system's own caches and swap).

- Linux: follow the folder's disk through /sys down to a dm-crypt (LUKS) layer.
- macOS: ``fdesetup status``.
- Windows: the Explorer property ``System.Volume.BitLockerProtection`` of the folder's drive,
  read through PowerShell; unlike ``manage-bde`` and ``Get-BitLockerVolume`` it needs no
  administrator rights.

Every function here returns an answer and never raises; anything odd becomes "could not tell".
"""

from __future__ import annotations

import enum
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

MACOS_TIMEOUT_SECONDS = 5.0
WINDOWS_TIMEOUT_SECONDS = 15.0  # PowerShell can take several seconds to start on a slow laptop


class Encryption(enum.Enum):
    CONFIRMED = "confirmed"
    NOT_ENCRYPTED = "not encrypted"
    UNKNOWN = "could not tell"


@dataclass(frozen=True)
class DiskEncryption:
    state: Encryption
    reason: str
    """A short plain-English note on what was found, for the IT team."""

    @property
    def confirmed(self) -> bool:
        return self.state is Encryption.CONFIRMED


def _unknown(reason: str) -> DiskEncryption:
    return DiskEncryption(Encryption.UNKNOWN, reason)


Runner = Callable[[list[str], float], str]
"""Runs a command with a timeout and returns its standard output (raises on failure)."""


def run_command(command: list[str], timeout: float) -> str:
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console flash on Windows
    done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout, check=False, creationflags=flags)
    if done.returncode != 0:
        raise OSError(f"exit status {done.returncode}")
    return done.stdout


def check(folder: Path, *, platform: str = sys.platform,
          run: Runner = run_command) -> DiskEncryption:
    """The answer for *folder* (which need not exist yet) on this computer."""
    try:
        if platform == "win32":
            return check_windows(folder, run=run)
        if platform == "darwin":
            return check_macos(folder, run=run)
        if platform.startswith("linux"):
            return check_linux(folder)
        return _unknown(f"there is no check for this system ({platform})")
    except Exception as exc:
        return _unknown(f"the check itself failed ({type(exc).__name__})")


def existing_part(folder: Path) -> Path:
    """The folder, or its nearest parent that exists (the data folder may not exist yet)."""
    path = Path(os.path.abspath(folder))
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


# ----- Linux ------------------------------------------------------------------------------
# Device-mapper UUIDs set by cryptsetup start "CRYPT-<type>-". VERITY and INTEGRITY devices
# check data but do not encrypt it; SUBDEV is the integrity layer under a LUKS2 device.
_NOT_ENCRYPTING = ("CRYPT-VERITY-", "CRYPT-INTEGRITY-", "CRYPT-SUBDEV-")


@dataclass(frozen=True)
class Mount:
    device: str
    """"major:minor" as the kernel reports it."""
    mount_point: str
    fstype: str
    source: str


def _unescape(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def parse_mountinfo(text: str) -> list[Mount]:
    """The lines of /proc/self/mountinfo (see proc(5)); malformed lines are skipped."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if "-" not in fields:
            continue
        dash = fields.index("-")
        if dash < 6 or len(fields) < dash + 3:
            continue
        mounts.append(Mount(device=fields[2], mount_point=_unescape(fields[4]),
                            fstype=fields[dash + 1], source=_unescape(fields[dash + 2])))
    return mounts


def mount_for(mounts: list[Mount], path: Path, device: str) -> Mount | None:
    """The mount *path* is on: the deepest mount point above it, preferring *device*."""
    def depth(mount: Mount) -> int:
        point = Path(mount.mount_point)
        return len(point.parts) if path == point or point in path.parents else -1

    candidates = [m for m in mounts if depth(m) >= 0]
    if not candidates:
        return None
    same = [m for m in candidates if m.device == device]
    return max(same or candidates, key=depth)


def _block_dir(sys_root: Path, device: str) -> Path | None:
    """/sys/dev/block/<major:minor> resolved to the device's own folder, if it is a disk."""
    link = sys_root / "dev" / "block" / device
    return link.resolve() if link.exists() else None


def _block_dir_for_source(sys_root: Path, source: str) -> Path | None:
    """The /sys folder of a mount source such as /dev/mapper/root or /dev/nvme0n1p2."""
    if not source.startswith("/dev/"):
        return None
    name = Path(os.path.realpath(source)).name
    by_name = sys_root / "class" / "block" / name
    if by_name.exists():
        return by_name.resolve()
    if source.startswith("/dev/mapper/"):
        wanted = source.removeprefix("/dev/mapper/")
        for dm_name in (sys_root / "block").glob("dm-*/dm/name"):
            if _read(dm_name) == wanted:
                return dm_name.parent.parent.resolve()
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _stack(top: Path) -> Iterator[Path]:
    """The device and every device under it (device-mapper and RAID "slaves")."""
    seen: set[Path] = set()
    todo = [top]
    while todo:
        device = todo.pop()
        if device in seen:
            continue
        seen.add(device)
        yield device
        slaves = device / "slaves"
        if slaves.is_dir():
            todo.extend(entry.resolve() for entry in slaves.iterdir())


def encryption_below(device_dir: Path) -> DiskEncryption:
    """Look for a dm-crypt layer in the stack of block devices under *device_dir*."""
    loop = False
    for device in _stack(device_dir):
        uuid = _read(device / "dm" / "uuid")
        if uuid.startswith("CRYPT-") and not uuid.startswith(_NOT_ENCRYPTING):
            kind = uuid.split("-")[1] or "dm-crypt"
            return DiskEncryption(Encryption.CONFIRMED,
                                  f"the folder's disk {device_dir.name} is encrypted "
                                  f"(dm-crypt {kind} on {device.name})")
        loop = loop or (device / "loop").is_dir()
    if loop:
        return _unknown(f"the folder is on a disk image ({device_dir.name}); "
                        "we cannot see whether the file holding it is encrypted")
    return DiskEncryption(Encryption.NOT_ENCRYPTED,
                          f"no dm-crypt (LUKS) layer under the folder's disk {device_dir.name}")


def check_linux(folder: Path, *, sys_root: Path = Path("/sys"),
                mountinfo: str | None = None) -> DiskEncryption:
    where = existing_part(folder)
    dev = os.stat(where).st_dev
    device = f"{os.major(dev)}:{os.minor(dev)}"
    block = _block_dir(sys_root, device)
    mount = None
    if block is None:  # btrfs, network and memory file systems have no disk of their own
        if mountinfo is None:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8")
        mount = mount_for(parse_mountinfo(mountinfo), where, device)
        if mount is None:
            return _unknown("could not find which disk the folder is on")
        if mount.fstype == "ecryptfs":
            return DiskEncryption(Encryption.CONFIRMED,
                                  "the folder is in an encrypted home folder (eCryptfs)")
        block = _block_dir_for_source(sys_root, mount.source)
    if block is None:
        kind = mount.fstype if mount is not None else "unknown"
        return _unknown(f"the folder is on a {kind} file system that we cannot trace to a disk")
    return encryption_below(block)


# ----- macOS ------------------------------------------------------------------------------
def parse_fdesetup(output: str) -> DiskEncryption:
    """The answer from ``fdesetup status``."""
    text = output.strip()
    if "Encryption in progress" in text:
        return _unknown("FileVault is still encrypting the disk")
    if "Decryption in progress" in text:
        return DiskEncryption(Encryption.NOT_ENCRYPTED, "FileVault is being turned off")
    first = text.splitlines()[0].strip() if text else ""
    if first == "FileVault is On.":
        return DiskEncryption(Encryption.CONFIRMED, "FileVault is on")
    if first.startswith("FileVault is Off"):
        if "Deferred enablement" in text:
            return DiskEncryption(Encryption.NOT_ENCRYPTED,
                                  "FileVault is off; it is set to turn on at the next log-in")
        return DiskEncryption(Encryption.NOT_ENCRYPTED, "FileVault is off")
    return _unknown("fdesetup gave an answer we do not recognise")


def check_macos(folder: Path, *, run: Runner = run_command) -> DiskEncryption:
    where = Path(os.path.abspath(folder)).resolve()  # /Volumes/Macintosh HD leads back to /
    if where.parts[:2] == ("/", "Volumes"):
        return _unknown("the folder is on another disk, and FileVault only covers the "
                        "startup disk")
    return parse_fdesetup(run(["/usr/bin/fdesetup", "status"], MACOS_TIMEOUT_SECONDS))


# ----- Windows ----------------------------------------------------------------------------
# Values of System.Volume.BitLockerProtection. Microsoft does not document them; these are the
# ones Explorer's own menus test for and public scripts agree on. Only "on" confirms.
_BITLOCKER = {
    "1": (Encryption.CONFIRMED, "BitLocker is on"),
    "6": (Encryption.CONFIRMED, "BitLocker is on (drive locked)"),
    "2": (Encryption.NOT_ENCRYPTED, "BitLocker is off"),
    "0": (Encryption.NOT_ENCRYPTED, "the drive cannot use BitLocker"),
    "3": (Encryption.UNKNOWN, "BitLocker is probably still encrypting the drive (state 3)"),
    "4": (Encryption.UNKNOWN, "BitLocker is probably being turned off (state 4)"),
    "5": (Encryption.UNKNOWN, "BitLocker protection is probably suspended (state 5)"),
    "8": (Encryption.UNKNOWN,
          "device encryption is probably waiting to be turned on (state 8)"),
}


def windows_drive(folder: Path | str) -> str | None:
    """"C:" for a folder on a lettered drive; None for network (UNC) folders."""
    drive = PureWindowsPath(str(folder)).drive
    return drive.upper() if re.fullmatch(r"[A-Za-z]:", drive) else None


def bitlocker_command(drive: str) -> list[str]:
    if not re.fullmatch(r"[A-Z]:", drive):
        raise ValueError("not a drive letter")
    system_root = os.environ.get("SystemRoot", r"C:\Windows")
    powershell = str(PureWindowsPath(system_root, "System32", "WindowsPowerShell", "v1.0",
                                     "powershell.exe"))
    script = ("(New-Object -ComObject Shell.Application).NameSpace('" + drive + "\\')"
              ".Self.ExtendedProperty('System.Volume.BitLockerProtection')")
    return [powershell, "-NoProfile", "-NonInteractive", "-Command", script]


def parse_bitlocker(output: str, drive: str = "C:") -> DiskEncryption:
    value = output.strip()
    if value in _BITLOCKER:
        state, reason = _BITLOCKER[value]
        return DiskEncryption(state, f"{reason} on drive {drive}")
    if not value:
        return _unknown(f"Windows did not say whether BitLocker is on for drive {drive}")
    return _unknown(f"Windows gave a BitLocker state we do not recognise for drive {drive}")


def check_windows(folder: Path, *, run: Runner = run_command) -> DiskEncryption:
    drive = windows_drive(folder) or windows_drive(os.path.abspath(folder))
    if drive is None:
        return _unknown("the folder is on a network drive")
    return parse_bitlocker(run(bitlocker_command(drive), WINDOWS_TIMEOUT_SECONDS), drive)
