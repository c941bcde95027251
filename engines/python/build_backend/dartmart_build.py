"""A PEP 517 build backend from the standard library alone: a wheel is a zip of src/ plus its dist-info, and this
package needs nothing more (pure Python, no dependencies, one console script)."""
import base64
import hashlib
import os
import zipfile

NAME = "dartmart"
VERSION = "0.1.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST_INFO = "%s-%s.dist-info" % (NAME, VERSION)
METADATA = """Metadata-Version: 2.1
Name: %s
Version: %s
Summary: dart engines and clients in Python: the engine SDK, a REST client and an example engine
Requires-Python: >=3.9
""" % (NAME, VERSION)
WHEEL = "Wheel-Version: 1.0\nGenerator: dartmart_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
ENTRY_POINTS = "[console_scripts]\ndart-csv-profiler = dartmart.examples.csv_profiler:main\n"


def _sources():
    src = os.path.join(ROOT, "src")
    for folder, dirs, files in os.walk(os.path.join(src, NAME)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                yield os.path.relpath(path, src).replace(os.sep, "/"), path


def _digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _metadata_files():
    return {DIST_INFO + "/METADATA": METADATA, DIST_INFO + "/WHEEL": WHEEL,
            DIST_INFO + "/entry_points.txt": ENTRY_POINTS}


def get_requires_for_build_wheel(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    for name, text in _metadata_files().items():
        path = os.path.join(metadata_directory, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return DIST_INFO


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel = "%s-%s-py3-none-any.whl" % (NAME, VERSION)
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel), "w", zipfile.ZIP_DEFLATED) as z:
        entries = [(name, open(path, "rb").read()) for name, path in _sources()]
        entries += [(name, text.encode("utf-8")) for name, text in _metadata_files().items()]
        for name, data in entries:
            z.writestr(name, data)
            record.append("%s,%s,%d" % (name, _digest(data), len(data)))
        record.append(DIST_INFO + "/RECORD,,")
        z.writestr(DIST_INFO + "/RECORD", "\n".join(record) + "\n")
    return wheel
