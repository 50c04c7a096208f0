"""The full-disk-encryption check (reliability.md F1, 4.2 point 1): each system's answer is
read correctly, and nothing odd ever raises. The Linux walk runs against a fake /sys."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from adviser_app.services import disk_encryption as de
from adviser_app.services.disk_encryption import Encryption

# ----- Linux --------------------------------------------------------------------------------


def _device(folder: Path) -> str:
    dev = os.stat(folder).st_dev
    return f"{os.major(dev)}:{os.minor(dev)}"


def _block(sys_root: Path, where: str, name: str, *, uuid: str | None = None,
           dm_name: str | None = None, slaves: tuple[Path, ...] = (),
           loop: bool = False) -> Path:
    """One block device folder in a fake /sys, with its class/block and block links."""
    folder = sys_root / "devices" / where / name
    folder.mkdir(parents=True)
    if uuid is not None or dm_name is not None:
        (folder / "dm").mkdir()
        (folder / "dm" / "uuid").write_text((uuid or "") + "\n")
        (folder / "dm" / "name").write_text((dm_name or "") + "\n")
    if slaves:
        (folder / "slaves").mkdir()
        for slave in slaves:
            (folder / "slaves" / slave.name).symlink_to(slave)
    if loop:
        (folder / "loop").mkdir()
    for links in ("class/block", "block"):
        (sys_root / links).mkdir(parents=True, exist_ok=True)
        (sys_root / links / name).symlink_to(folder)
    return folder


def _disk_is(sys_root: Path, device: str, folder: Path) -> None:
    (sys_root / "dev" / "block").mkdir(parents=True, exist_ok=True)
    (sys_root / "dev" / "block" / device).symlink_to(folder)


def test_lvm_on_luks_is_confirmed(tmp_path):
    """The usual Ubuntu/Fedora install: ext4 on LVM on LUKS on an NVMe partition."""
    sys_root, data = tmp_path / "sys", tmp_path / "data"
    data.mkdir()
    part = _block(sys_root, "pci0000:00/nvme/nvme0n1", "nvme0n1p3")
    crypt = _block(sys_root, "virtual/block", "dm-0",
                   uuid="CRYPT-LUKS2-5f2c0e5d8a1f4f5e9d0e1a2b3c4d5e6f-dm_crypt-0", slaves=(part,))
    lvm = _block(sys_root, "virtual/block", "dm-1", uuid="LVM-Xk2aB9", slaves=(crypt,))
    _disk_is(sys_root, _device(data), lvm)
    found = de.check_linux(data / "adviser-toolkit", sys_root=sys_root)  # not made yet
    assert found.state is Encryption.CONFIRMED
    assert "LUKS2" in found.reason and "dm-0" in found.reason


def test_plain_partition_is_not_encrypted(tmp_path):
    sys_root = tmp_path / "sys"
    part = _block(sys_root, "pci0000:00/sda", "sda2")
    _disk_is(sys_root, _device(tmp_path), part)
    found = de.check_linux(tmp_path, sys_root=sys_root)
    assert found.state is Encryption.NOT_ENCRYPTED
    assert "sda2" in found.reason


@pytest.mark.parametrize("uuid", ["CRYPT-VERITY-1234-root", "CRYPT-INTEGRITY-99-x"])
def test_integrity_only_layers_do_not_count(tmp_path, uuid):
    sys_root = tmp_path / "sys"
    part = _block(sys_root, "pci0000:00/sda", "sda2")
    top = _block(sys_root, "virtual/block", "dm-0", uuid=uuid, slaves=(part,))
    _disk_is(sys_root, _device(tmp_path), top)
    assert de.check_linux(tmp_path, sys_root=sys_root).state is Encryption.NOT_ENCRYPTED


def test_a_disk_image_is_could_not_tell(tmp_path):
    sys_root = tmp_path / "sys"
    loop = _block(sys_root, "virtual/block", "loop0", loop=True)
    _disk_is(sys_root, _device(tmp_path), loop)
    assert de.check_linux(tmp_path, sys_root=sys_root).state is Encryption.UNKNOWN


BTRFS = "rw,seclabel,compress=zstd:1,ssd,space_cache=v2"
MOUNTINFO_BTRFS_ON_LUKS = (
    "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw\n"
    "25 1 0:35 /root / rw,relatime shared:1 - btrfs /dev/mapper/luks-5f2c0e5d "
    f"{BTRFS},subvolid=257,subvol=/root\n"
    "61 25 0:35 /home {home} rw,relatime shared:30 - btrfs /dev/mapper/luks-5f2c0e5d "
    f"{BTRFS},subvolid=256,subvol=/home\n"
    "70 25 0:44 / /run/user/1000 rw,nosuid,nodev,relatime shared:300 - tmpfs tmpfs "
    "rw,size=1632560k,mode=700,uid=1000,gid=1000\n")


def test_btrfs_on_luks_is_found_through_the_mount_source(tmp_path):
    """Fedora's default: btrfs has no disk number of its own, so the mount source is used."""
    sys_root = tmp_path / "sys"
    part = _block(sys_root, "pci0000:00/nvme/nvme0n1", "nvme0n1p3")
    _block(sys_root, "virtual/block", "dm-0", uuid="CRYPT-LUKS2-5f2c0e5d-luks-5f2c0e5d",
           dm_name="luks-5f2c0e5d", slaves=(part,))
    mountinfo = MOUNTINFO_BTRFS_ON_LUKS.format(home=tmp_path)
    found = de.check_linux(tmp_path / "data", sys_root=sys_root, mountinfo=mountinfo)
    assert found.state is Encryption.CONFIRMED, found


def test_network_and_memory_file_systems_are_could_not_tell(tmp_path):
    mountinfo = (f"30 1 0:50 / {tmp_path} rw - nfs4 files.example.org:/adviser rw,vers=4.2\n"
                 "1 0 0:2 / / rw - overlay overlay rw\n")
    found = de.check_linux(tmp_path, sys_root=tmp_path / "nosys", mountinfo=mountinfo)
    assert found.state is Encryption.UNKNOWN
    assert "nfs4" in found.reason


def test_ecryptfs_home_counts_as_encrypted(tmp_path):
    mountinfo = (f"40 1 0:60 / {tmp_path} rw - ecryptfs /home/.ecryptfs/sam/.Private "
                 "rw,ecryptfs_sig=abcd\n")
    found = de.check_linux(tmp_path, sys_root=tmp_path / "nosys", mountinfo=mountinfo)
    assert found.state is Encryption.CONFIRMED


def test_mountinfo_parsing_unescapes_spaces_and_skips_junk():
    mounts = de.parse_mountinfo(
        "36 35 98:0 /mnt1 /media/sam/My\\040Disk rw,noatime master:1 - ext4 /dev/sdb1 rw\n"
        "nonsense line\n")
    assert mounts == [de.Mount("98:0", "/media/sam/My Disk", "ext4", "/dev/sdb1")]
    assert de.mount_for(mounts, Path("/media/sam/My Disk/adviser"), "98:0") == mounts[0]
    assert de.mount_for(mounts, Path("/elsewhere"), "98:0") is None


def test_this_machine_gets_an_answer_quickly(tmp_path):
    """Whatever this computer is, the real check answers (here: no /sys tricks)."""
    import time

    started = time.perf_counter()
    found = de.check(tmp_path / "not-made-yet")
    assert isinstance(found.state, Encryption) and found.reason
    assert time.perf_counter() - started < 1.0


# ----- macOS -------------------------------------------------------------------------------


@pytest.mark.parametrize("output, state", [
    ("FileVault is On.\n", Encryption.CONFIRMED),
    ("FileVault is Off.\n", Encryption.NOT_ENCRYPTED),
    ("FileVault is Off.\nDeferred enablement appears to be active for user 'sam'.\n",
     Encryption.NOT_ENCRYPTED),
    ("FileVault is On.\nEncryption in progress: Percent completed = 42.7\n", Encryption.UNKNOWN),
    ("Encryption in progress: Percent completed = 42.7\n", Encryption.UNKNOWN),
    ("Decryption in progress: Percent completed = 12.0\n", Encryption.NOT_ENCRYPTED),
    ("", Encryption.UNKNOWN),
    ("fdesetup: command not understood\n", Encryption.UNKNOWN),
])
def test_fdesetup_answers(output, state):
    assert de.parse_fdesetup(output).state is state


def test_macos_runs_fdesetup_status_and_skips_other_disks():
    asked = []

    def run(command, timeout):
        asked.append(command)
        assert timeout <= 10
        return "FileVault is On.\n"

    assert de.check(Path("/Users/sam/Library/Application Support/adviser-toolkit"),
                    platform="darwin", run=run).confirmed
    assert asked == [["/usr/bin/fdesetup", "status"]]
    other = de.check(Path("/Volumes/USB STICK/adviser-toolkit"), platform="darwin", run=run)
    assert other.state is Encryption.UNKNOWN and len(asked) == 1


# ----- Windows -----------------------------------------------------------------------------


@pytest.mark.parametrize("output, state", [
    ("1\r\n", Encryption.CONFIRMED),
    ("6\r\n", Encryption.CONFIRMED),
    ("2\r\n", Encryption.NOT_ENCRYPTED),
    ("0\r\n", Encryption.NOT_ENCRYPTED),
    ("3\r\n", Encryption.UNKNOWN),  # still encrypting
    ("5\r\n", Encryption.UNKNOWN),  # suspended: the key sits unprotected on the disk
    ("8\r\n", Encryption.UNKNOWN),
    ("\r\n", Encryption.UNKNOWN),
    ("Ein\r\n", Encryption.UNKNOWN),
])
def test_bitlocker_answers(output, state):
    found = de.parse_bitlocker(output, "D:")
    assert found.state is state
    assert "D:" in found.reason


def test_windows_drive_and_command():
    assert de.windows_drive(r"c:\Users\sam\AppData\Local\adviser-toolkit") == "C:"
    assert de.windows_drive(r"\\fileserver\advisers\sam") is None
    command = de.bitlocker_command("C:")
    assert command[0].lower().endswith(r"windowspowershell\v1.0\powershell.exe")
    assert "-NoProfile" in command and "-NonInteractive" in command
    assert ("NameSpace('C:\\').Self.ExtendedProperty('System.Volume.BitLockerProtection')"
            in command[-1])
    with pytest.raises(ValueError):
        de.bitlocker_command("C:'); Remove-Item x; ('")


def test_windows_check_asks_about_the_folders_drive():
    asked = []

    def run(command, timeout):
        asked.append(command[-1])
        return "1\r\n"

    found = de.check(Path(r"E:\Advisers\adviser-toolkit"), platform="win32", run=run)
    assert found.confirmed and "E:" in found.reason
    assert "NameSpace('E:\\')" in asked[0]
    network = de.check(Path(r"\\fileserver\advisers"), platform="win32", run=run)
    assert network.state is Encryption.UNKNOWN and len(asked) == 1


# ----- never raises ------------------------------------------------------------------------


@pytest.mark.parametrize("failure", [subprocess.TimeoutExpired(["x"], 1), OSError("gone"),
                                     FileNotFoundError("powershell.exe")])
def test_a_failing_command_is_could_not_tell(failure):
    def run(command, timeout):
        raise failure

    for platform, folder in (("win32", r"C:\data"), ("darwin", "/Users/sam/data")):
        found = de.check(Path(folder), platform=platform, run=run)
        assert found.state is Encryption.UNKNOWN
        assert type(failure).__name__ in found.reason


def test_run_command_times_out_and_reports_failure():
    assert de.run_command(["true"], 5) == ""
    with pytest.raises(OSError):
        de.run_command(["false"], 5)
    with pytest.raises(subprocess.TimeoutExpired):
        de.run_command(["sleep", "5"], 0.2)


def test_other_systems_are_could_not_tell(tmp_path):
    assert de.check(tmp_path, platform="freebsd14").state is Encryption.UNKNOWN
