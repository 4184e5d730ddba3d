"""The pluggable WLT photo decoders: none, a vendor library (ctypes), a command, the simulator's."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys

import pytest

from devices.idcard.wlt import (
    BGR_SIZE,
    BMP_SIZE,
    CommandPhotoDecoder,
    LibraryPhotoDecoder,
    NoPhotoDecoder,
    PhotoUnavailable,
    SimulatorPhotoDecoder,
    bmp_from_bgr,
    build_photo_decoder,
    simulated_wlt,
)

WLT = b"W" + bytes(range(255)) + bytes(768)
PY = sys.executable

FAKE_VENDOR_LIBRARY = r"""
#include <string.h>
int unpack(const unsigned char *wlt, unsigned char *out, int flag) {
    if (wlt[0] != 'W') return -2;
    memset(out, wlt[1] + flag, 38862);
    out[0] = 'B'; out[1] = 'M';
    return 1;
}
int unpack_bgr(const unsigned char *wlt, unsigned char *out, int flag) {
    memset(out, 7, 38556);
    return 1;
}
"""


def test_without_a_decoder_the_photo_is_unavailable():
    with pytest.raises(PhotoUnavailable, match="no WLT decoder configured"):
        NoPhotoDecoder().decode(WLT)
    assert isinstance(build_photo_decoder(), NoPhotoDecoder)


def test_a_bmp_is_built_from_raw_pixels():
    bmp = bmp_from_bgr(bytes([1, 2, 3]) * (BGR_SIZE // 3))
    assert len(bmp) == BMP_SIZE == 38862
    assert bmp[:2] == b"BM"
    assert struct.unpack("<I", bmp[2:6])[0] == BMP_SIZE
    assert struct.unpack("<iiHH", bmp[18:30]) == (102, 126, 1, 24)
    assert bmp[54:57] == bytes([1, 2, 3])
    assert bmp[54 + 306:54 + 308] == b"\x00\x00"  # each row padded to 308 bytes
    with pytest.raises(ValueError, match="38556"):
        bmp_from_bgr(b"")


# -- the vendor library ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vendor_library(tmp_path_factory):
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build a stand-in vendor library")
    folder = tmp_path_factory.mktemp("wlt")
    (folder / "fake.c").write_text(FAKE_VENDOR_LIBRARY)
    subprocess.run([compiler, "-shared", "-fPIC", "-o", str(folder / "libfakewlt.so"), str(folder / "fake.c")],
                   check=True, capture_output=True)
    return folder / "libfakewlt.so"


def test_a_library_that_writes_a_bmp(vendor_library):
    decoder = LibraryPhotoDecoder(vendor_library, "unpack", flag=1)
    assert decoder.usable
    image = decoder.decode(WLT)
    assert len(image) == BMP_SIZE
    assert image[:2] == b"BM"
    assert image[2] == 1


def test_a_library_that_writes_raw_pixels(vendor_library):
    image = build_photo_decoder(library=str(vendor_library), function="unpack_bgr", output="bgr").decode(WLT)
    assert image[:2] == b"BM"
    assert len(image) == BMP_SIZE
    assert image[54] == 7


def test_a_library_failure_is_photo_unavailable(vendor_library):
    decoder = LibraryPhotoDecoder(vendor_library)
    with pytest.raises(PhotoUnavailable, match="returned -2"):
        decoder.decode(b"X" * 1024)
    with pytest.raises(PhotoUnavailable, match="1024 bytes, not 3"):
        decoder.decode(b"WLT")


def test_a_missing_library_or_function_is_reported_not_raised(vendor_library, tmp_path):
    missing = LibraryPhotoDecoder(tmp_path / "libnothere.so")
    assert not missing.usable
    with pytest.raises(PhotoUnavailable, match="libnothere.so"):
        missing.decode(WLT)
    assert "no_such_function" in LibraryPhotoDecoder(vendor_library, "no_such_function").load_error
    with pytest.raises(ValueError, match="'bmp' or 'bgr'"):
        LibraryPhotoDecoder(vendor_library, output="jpeg")


# -- a command ---------------------------------------------------------------------------------


def test_a_command_reads_stdin_and_writes_stdout():
    script = "import sys; sys.stdout.buffer.write(b'\\xff\\xd8\\xff' + sys.stdin.buffer.read()[:5])"
    assert CommandPhotoDecoder([PY, "-c", script]).decode(WLT) == b"\xff\xd8\xffW" + bytes(range(4))


def test_a_command_with_file_placeholders():
    script = "import sys; open(sys.argv[2], 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + open(sys.argv[1], 'rb').read()[:1])"
    image = build_photo_decoder(command=[PY, "-c", script, "{wlt}", "{out}"]).decode(WLT)
    assert image == b"\x89PNG\r\n\x1a\nW"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([PY, "-c", "import sys; sys.stderr.write('boom\\n'); sys.exit(3)"], "exited 3 boom"),
        ([PY, "-c", "print('not an image')"], "did not produce a BMP, JPEG or PNG"),
        ([PY, "-c", "pass", "{wlt}", "{out}"], "wrote no image"),
        (["/nonexistent/wlt2bmp"], "/nonexistent/wlt2bmp"),
    ],
    ids=["exit-status", "not-an-image", "no-output-file", "missing-program"],
)
def test_a_failing_command_is_photo_unavailable(argv, message):
    with pytest.raises(PhotoUnavailable, match=message):
        CommandPhotoDecoder(argv).decode(WLT)


def test_a_command_that_hangs_is_given_up():
    with pytest.raises(PhotoUnavailable, match="timed out"):
        CommandPhotoDecoder([PY, "-c", "import time; time.sleep(5)"], timeout=0.3).decode(WLT)


def test_the_configuration_names_one_decoder_or_none():
    with pytest.raises(ValueError, match="not both"):
        build_photo_decoder(library="/x.so", command=["x"])
    with pytest.raises(ValueError, match="empty"):
        CommandPhotoDecoder([])


# -- the simulator's -----------------------------------------------------------------------------


def test_the_simulator_decoder_knows_only_its_own_markers():
    marker = simulated_wlt("110105198503121234", b"JPEG")
    assert len(marker) == 1024
    assert marker.startswith(b"SIMWLT")
    assert marker != simulated_wlt("110105198503121234", b"PNG") != simulated_wlt("11010519850312123X", b"JPEG")
    decoder = SimulatorPhotoDecoder({marker: b"JPEG"})
    assert decoder.decode(marker) == b"JPEG"
    with pytest.raises(PhotoUnavailable, match="no photo"):
        decoder.decode(WLT)
