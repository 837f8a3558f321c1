"""The department-server setup, run for real: PostgreSQL, two app processes, and Debian's nginx
in front with deploy/nginx-class-games.conf (ports rewritten to free loopback ports).

Then the class benchmark goes through nginx (phones spread over both processes), and a
headless Chromium opens the host page through nginx (Streamlit's websocket through the proxy).

    python benchmarks/bench_class_nginx.py --phones 300 --rounds 10

Needs nginx (apt-get install nginx), PostgreSQL's server binaries and Chromium. Run by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from classroom import host, open_store  # noqa: E402
from classroom.playlists import Slot  # noqa: E402
from tests.appserver import AppServer, cpu_seconds, free_port, postgres_url  # noqa: E402

WRAPPER = """
pid {folder}/nginx.pid;
error_log {folder}/error.log;
worker_processes 1;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/class-games.conf;
}}
"""


def nginx_config(folder: Path, ports: tuple[int, int], listen: int) -> Path:
    conf = (ROOT / "deploy" / "nginx-class-games.conf").read_text()
    conf = conf.replace("127.0.0.1:8501", f"127.0.0.1:{ports[0]}")
    conf = conf.replace("127.0.0.1:8502", f"127.0.0.1:{ports[1]}")
    conf = re.sub(r"listen 8080;", f"listen 127.0.0.1:{listen};", conf)
    (folder / "class-games.conf").write_text(conf)
    (folder / "nginx.conf").write_text(WRAPPER.format(folder=folder))
    return folder / "nginx.conf"


def check_host_page(base: str, code: str, key: str, shot: Path) -> str:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(120_000)
        page.goto(f"{base}/class?code={code}&key={key}")
        page.get_by_text("Manage players").wait_for()
        page.get_by_role("button", name="Start question 1").click()
        page.get_by_role("button", name="Lock answers").wait_for()
        page.screenshot(path=str(shot))
        browser.close()
    return "host page through nginx: websocket session, Start question 1 -> Lock answers"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        folder = Path(tmp)
        url = stack.enter_context(postgres_url())
        servers = [AppServer(url, folder / f"app{i}.log").start() for i in (1, 2)]
        for server in servers:
            stack.callback(server.stop)
        listen = free_port()
        conf = nginx_config(folder, (servers[0].port, servers[1].port), listen)
        subprocess.run(["nginx", "-t", "-c", str(conf)], check=True, capture_output=True)
        subprocess.run(["nginx", "-c", str(conf)], check=True)
        stack.callback(subprocess.run, ["nginx", "-c", str(conf), "-s", "stop"])
        base = f"http://127.0.0.1:{listen}"
        for _ in range(50):
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/join"):
                break
            time.sleep(0.2)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_class.py"), "--url",
                        base, "--database-url", url, "--phones", str(args.phones),
                        "--rounds", str(args.rounds)], check=True)
        created = host.create_game(open_store(url), [Slot("tails", "normal", 1)], "nginx")
        print(check_host_page(base, created.code, created.host_key, folder / "host.png"))
        cpu = [cpu_seconds(server.pid) for server in servers]
        print("two app processes behind nginx on PostgreSQL: CPU seconds used by each "
              + ", ".join(f"{c:.0f} s" for c in cpu) + " (both served the class)")


if __name__ == "__main__":
    main()
