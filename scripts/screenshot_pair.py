"""A side-by-side screenshot pair for the README: the real playground and the app, same link, same epoch.

Serves the app (`playground serve`) and the real site's build from DIR, opens the same link in both in
headless Debian chromium, presses Step until both counters show the epoch, and saves the network and
output area of each page as PNG.

    python scripts/screenshot_pair.py --real ../shared/reference/tfp-site --epoch 50 \
        --out-real assets/pair-real.png --out-ours assets/pair-ours.png
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import compare_real
from bench_app import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CONFIGS,
    VIEWPORT,
    expected_view,
    start_server,
    stop_servers,
)
from playwright.sync_api import sync_playwright

from playground.server.ports import free_port


def shoot(page, step: str, counter: str, epoch: int, area: str, path: Path) -> None:
    for n in range(1, epoch + 1):
        page.locator(step).click()
        page.locator(counter, has_text=f"{n:07,d}").wait_for(timeout=30_000)
    page.mouse.move(0, 0)  # no hover state in the picture
    page.wait_for_timeout(500)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.locator(area).screenshot(path=str(path), animations="disabled", caret="hide")
    print(f"screenshot_pair: wrote {path} at epoch {page.locator(counter).inner_text()}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--real", type=Path, required=True, help="the real site's build (index.html in it)")
    parser.add_argument("--config", default="A", choices=sorted(CONFIGS), help="which link (default A)")
    parser.add_argument("--epoch", type=int, default=50, help="epoch of both pictures (default 50)")
    parser.add_argument("--out-real", type=Path, default=Path("assets/pair-real.png"))
    parser.add_argument("--out-ours", type=Path, default=Path("assets/pair-ours.png"))
    args = parser.parse_args(argv)
    if args.epoch < 0:
        parser.error("--epoch must not be negative")
    config = CONFIGS[args.config]
    port, real_port = free_port(), free_port()
    server = start_server(port)
    real_server = compare_real.serve_real(args.real, real_port)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            want = expected_view(config.link)
            page, _ = compare_real.load_page(browser, f"http://127.0.0.1:{real_port}/#{config.link}",
                                              compare_real.REAL, want, VIEWPORT)
            shoot(page, "#next-step-button", "#iter-number", args.epoch, "#main-part", args.out_real)
            page.close()
            page, _ = compare_real.load_page(browser, f"http://127.0.0.1:{port}/#{config.link}",
                                              compare_real.OURS, want, VIEWPORT)
            shoot(page, ".step-button button", ".epoch-counter", args.epoch, ".main-row", args.out_ours)
            browser.close()
    finally:
        stop_servers(server, real_server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
