"""A real `modelmap serve` process on a free 127.0.0.1 port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

pytestmark = pytest.mark.timeout(120)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, seconds: float = 60) -> httpx.Response:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited {proc.returncode}: {proc.stderr.read()}")
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer in time")


def test_serve_answers_health_and_lists_jobs(store_path, tmp_path):
    port = _free_port()
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("MODELMAP_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "modelmap", "serve", "--port", str(port),
                             "--store", str(store_path)], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        health = _wait(f"{base}/api/health", proc)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        page = httpx.get(f"{base}/")
        assert page.status_code == 200 and "<title>modelmap</title>" in page.text
        jobs = httpx.get(f"{base}/api/jobs").json()
        assert [j["title"] for j in jobs] == ["Iris small"]
        rebinding = httpx.get(f"{base}/api/health", headers={"Host": "attacker.example"})
        assert rebinding.status_code == 400
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/ (API docs: /api/docs" in out


def test_serve_on_all_interfaces_warns_and_disables_deleting(store_path, tmp_path):
    port = _free_port()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("MODELMAP_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "modelmap", "serve", "--host", "0.0.0.0",
                             "--port", str(port), "--store", str(store_path)], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        assert _wait(f"{base}/api/health", proc).status_code == 200
        assert httpx.delete(f"{base}/api/maps").status_code == 403
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "warning: listening on 0.0.0.0" in err and "--token" in err
