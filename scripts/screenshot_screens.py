"""Screenshots of the app on school screens beside the real playground's at the same window sizes.

Serves the app (`playground serve`) and the real site's build from DIR, opens both in headless Debian chromium
at 1366×768 (a Chromebook), 768×1024 (a tablet) and 1920×1080, and saves what the window shows, unscrolled:
free play and a lesson of ours, free play of the real site (it has no lessons), and, where Pillow is
installed, each pair side by side. It prints where the output plot, its checkboxes and the data column are.

    python scripts/screenshot_screens.py --real ../shared/reference/tfp-site --out /tmp/screens
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import compare_real
from bench_app import CHROMIUM, CHROMIUM_ARGS, start_server, stop_servers
from playwright.sync_api import sync_playwright

from playground.server.ports import free_port

SIZES = [(1366, 768), (768, 1024), (1920, 1080)]
FREE_PLAY = "#dataset=circle&networkShape=4,2&seed=0.59704"
LESSON = "#lesson=03-hidden-layers"
MEASURED = [".output-plot", ".discretize-output", ".data-column"]


def shoot_ours(browser, url: str, size: tuple[int, int], path: Path) -> dict:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    try:
        page.goto(url)
        page.wait_for_selector(".playground-app.ready.complete", state="attached", timeout=60_000)
        page.wait_for_timeout(1_000)  # the lesson strip and the thumbnails settled
        page.screenshot(path=str(path))
        boxes = {}
        for selector in MEASURED:
            b = page.locator(selector).first.bounding_box()
            boxes[selector] = tuple(round(v) for v in (b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]))
        return boxes
    finally:
        page.close()


def shoot_real(browser, url: str, size: tuple[int, int], path: Path) -> None:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    try:
        page.goto(url)
        page.locator("#loss-test").filter(has_text="0.").wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(path))
    finally:
        page.close()


def side_by_side(left: Path, right: Path, path: Path) -> bool:
    """The two pictures next to each other, ours left (False where Pillow is not installed)."""
    try:
        from PIL import Image
    except ImportError:
        return False
    a, b = Image.open(left), Image.open(right)
    pair = Image.new("RGB", (a.width + 20 + b.width, max(a.height, b.height)), "white")
    pair.paste(a, (0, 0))
    pair.paste(b, (a.width + 20, 0))
    pair.save(path)
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--real", type=Path, required=True, help="the real site's build (index.html in it)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    port, real_port = free_port(), free_port()
    server = start_server(port)
    real_server = compare_real.serve_real(args.real, real_port)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for width, height in SIZES:
                size = f"{width}x{height}"
                real = args.out / f"real-free-play-{size}.png"
                shoot_real(browser, f"http://127.0.0.1:{real_port}/{FREE_PLAY}", (width, height), real)
                for name, link in (("free-play", FREE_PLAY), ("lesson", LESSON)):
                    ours = args.out / f"ours-{name}-{size}.png"
                    boxes = shoot_ours(browser, f"http://127.0.0.1:{port}/{link}", (width, height), ours)
                    print(f"{size} {name}: " + ", ".join(f"{k} {v}" for k, v in boxes.items()))
                    pair = args.out / f"pair-{name}-{size}.png"
                    if side_by_side(ours, real, pair):
                        print(f"  wrote {ours}, {real}, {pair}")
                    else:
                        print(f"  wrote {ours}, {real}")
            browser.close()
    finally:
        stop_servers(server, real_server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
