"""Measure the site as readers get it: build time, and each page's weight and first render.

Builds the site with ``mkdocs build --strict`` (three times; the median is reported), serves it
on 127.0.0.1, and opens every page once in Debian's headless Chromium with an empty cache,
counting requests and bytes transferred and reading the browser's first-contentful-paint time.
Goals: every page under 1.5 MB and 30 requests on first load; the build under 30 s.

    python benchmarks/site.py [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from glossary.files import write_atomically

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
BUDGET_BYTES, BUDGET_REQUESTS, BUDGET_BUILD_SECONDS = 1.5e6, 30, 30.0


def build(site_dir: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site_dir)],
        cwd=ROOT,
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    return time.perf_counter() - start


def page_paths(site_dir: Path) -> list[str]:
    folders = [index.parent.relative_to(site_dir) for index in site_dir.rglob("index.html")]
    return sorted("" if folder == Path() else f"{folder.as_posix()}/" for folder in folders)


def measure_page(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sizes: list[int] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null")
    context.close()
    return {"requests": len(sizes), "bytes": sum(sizes), "first_contentful_paint_ms": paint}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=Path("build/site-benchmark.json"))
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        site_dir = Path(temporary) / "site"
        build_seconds = statistics.median(build(site_dir) for _ in range(3))
        print(f"site build: {build_seconds:.2f} s (median of 3; goal < {BUDGET_BUILD_SECONDS:.0f} s)")

        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "http.server",
                "8765",
                "--bind",
                "127.0.0.1",
                "--directory",
                str(site_dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
                pages = {
                    path: measure_page(browser, f"http://127.0.0.1:8765/{path}")
                    for path in page_paths(site_dir)
                }
                browser.close()
        finally:
            server.terminate()

    print(f"{'page':36} {'requests':>8} {'KB':>8} {'first paint ms':>15}")
    for path, figures in pages.items():
        print(
            f"{path:36} {figures['requests']:8d} {figures['bytes'] / 1e3:8.0f} "
            f"{figures['first_contentful_paint_ms'] or float('nan'):15.0f}"
        )
    heaviest = max(figures["bytes"] for figures in pages.values())
    most_requests = max(figures["requests"] for figures in pages.values())
    print(
        f"heaviest page {heaviest / 1e6:.2f} MB (goal < {BUDGET_BYTES / 1e6} MB), "
        f"most requests {most_requests} (goal < {BUDGET_REQUESTS})"
    )
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(arguments.json, json.dumps({"build_seconds": build_seconds, "pages": pages}, indent=2))
    print(f"written: {arguments.json}")


if __name__ == "__main__":
    main()
