"""The page on school screens and for every student: where things are at 1366×768 (a Chromebook), 768×1024
(a tablet) and 1920×1080, axe-core's accessibility check on four page states, and the keyboard's way from
the top of the page to a weight edited and applied (docs/accessibility.md)."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from playground.lessons import list_lessons
from playground.lessons.links import lesson_name

from .test_app_editing import link_position

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
CHROMEBOOK, TABLET, WIDE = (1366, 768), (768, 1024), (1920, 1080)
START = "#dataset=circle&networkShape=4,2&seed=0.5"

# Every control a student can reach with a pointer or the keyboard, in every shadow root, with its box in page
# coordinates (scrolled), its class and its accessible-name hints.
CONTROLS_JS = """() => {
  const found = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('button, input, select, [tabindex="0"]')) {
      const box = el.getBoundingClientRect();
      if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
      found.push({tag: el.tagName, cls: String(el.className), left: box.left + scrollX, top: box.top + scrollY,
                  right: box.right + scrollX, bottom: box.bottom + scrollY});
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
  };
  visit(document);
  return found;
}"""
# the element that has the keyboard's focus, through shadow roots
ACTIVE_JS = """() => { let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  return a ? {tag: a.tagName, cls: String(a.className), name: a.getAttribute('aria-label') || a.textContent.trim().slice(0, 40),
              visible: a.matches(':focus-visible')} : null; }"""


def box(page, selector: str) -> dict:
    """`selector`'s box in page coordinates (the page may be scrolled): left, top, right, bottom."""
    b = page.locator(selector).first.bounding_box()
    x, y = page.evaluate("() => [scrollX, scrollY]")
    return {"left": b["x"] + x, "top": b["y"] + y, "right": b["x"] + x + b["width"], "bottom": b["y"] + y + b["height"]}


def page_size(page) -> tuple[int, int]:
    return tuple(page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"))


def open_at(open_app, page, size: tuple[int, int], hash: str = START):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    return open_app(hash)


def assert_output_on_screen(page, size: tuple[int, int], where: str) -> None:
    """The output plot with its legend and checkboxes is inside the window, unscrolled."""
    assert page.evaluate("() => [scrollX, scrollY]") == [0, 0]
    plot, legend = box(page, ".output-plot"), box(page, ".legend-pane")
    boxes = [plot, legend, box(page, ".show-test-data"), box(page, ".discretize-output")]
    assert all(b["top"] >= 0 and b["left"] >= 0 for b in boxes), where
    assert max(b["bottom"] for b in boxes) <= size[1], f"{where}: the output ends at {boxes} below {size[1]}"
    assert max(b["right"] for b in boxes) <= size[0], f"{where}: the output is cut at the right: {boxes}"


# ---------------------------------------------------------------- three screens
def test_chromebook_shows_the_whole_output_in_free_play(open_app, page):
    open_at(open_app, page, CHROMEBOOK)
    assert_output_on_screen(page, CHROMEBOOK, "free play")
    data = box(page, ".data-column")
    assert data["left"] >= 0 and data["top"] < CHROMEBOOK[1] / 3  # the data column starts near the top
    print(f"1366x768 free play: output plot {box(page, '.output-plot')}, checkboxes end at "
          f"{box(page, '.discretize-output')['bottom']:.0f}, data column {data}")


def test_chromebook_shows_the_whole_output_in_every_lesson(open_app, page):
    open_at(open_app, page, CHROMEBOOK)
    picker = page.get_by_role("combobox", name="Lesson")
    for number, lesson in enumerate(list_lessons(), start=1):
        picker.select_option(label=f"{number}. {lesson.title}")
        page.wait_for_function(f"() => location.hash.includes('lesson={lesson_name(lesson)}')", timeout=TIMEOUT_MS)
        expect(page.locator(".lesson-goal")).to_be_visible(timeout=TIMEOUT_MS)  # the strip has its full height
        page.wait_for_timeout(300)  # the controls the lesson hides are gone, the layout settled
        assert_output_on_screen(page, CHROMEBOOK, lesson_name(lesson))
        expect(page.get_by_role("button", name="Read more").or_(page.locator(".lesson-text"))).not_to_have_count(0)
        print(f"1366x768 {lesson_name(lesson)}: checkboxes end at {box(page, '.discretize-output')['bottom']:.0f}")


def test_a_lesson_text_opens_in_full_on_demand(open_app, page):
    open_at(open_app, page, CHROMEBOOK, "#lesson=03-hidden-layers")
    more = page.get_by_role("button", name="Read more")
    expect(more).to_have_attribute("aria-expanded", "false")
    shown = page.locator(".lesson-text .lesson-body").bounding_box()["height"]
    more.click()
    less = page.get_by_role("button", name="Show less")
    expect(less).to_have_attribute("aria-expanded", "true")
    assert page.locator(".lesson-text .lesson-body").bounding_box()["height"] > shown + 20
    less.click()
    expect(page.get_by_role("button", name="Read more")).to_be_visible()


def test_tablet_reaches_every_control_and_the_bars_span_the_page(open_app, page):
    open_at(open_app, page, TABLET)
    width, _ = page_size(page)
    controls = page.evaluate(CONTROLS_JS)
    assert len(controls) > 40
    left_of_page = [c for c in controls if c["left"] < 0 or c["top"] < 0]
    assert not left_of_page, f"controls out of reach: {left_of_page[:5]}"
    assert max(c["right"] for c in controls) <= width  # reached by scrolling right
    for bar in (".app-header", ".top-controls-pane"):
        b = box(page, bar)
        assert (b["left"], round(b["right"])) == (0, width), f"{bar} {b} on a page {width} px wide"
    data = box(page, ".data-column")
    assert 0 <= data["left"] < 40
    page.locator(".discretize-output input").scroll_into_view_if_needed()
    page.locator(".discretize-output input").check()  # the far right is in reach
    expect(page.locator(".discretize-output input")).to_be_checked()
    print(f"768x1024: page {width} px wide, data column {data}, output plot {box(page, '.output-plot')}")


def test_wide_screen_centres_the_content(open_app, page):
    open_at(open_app, page, WIDE)
    data, plot = box(page, ".data-column"), box(page, ".output-plot")
    legend = box(page, ".legend-pane")
    centre = (data["left"] + max(plot["right"], legend["right"])) / 2
    assert abs(centre - WIDE[0] / 2) < 40, f"content centred at x = {centre:.0f}"
    bar = box(page, ".top-bar")
    assert abs((bar["left"] + bar["right"]) / 2 - WIDE[0] / 2) < 2
    print(f"1920x1080: data column {data}, output plot {plot}, content centre x = {centre:.0f}")


# ---------------------------------------------------------------- axe-core on four page states
def axe_counts(page) -> dict[str, int]:
    """{rule (impact): nodes} of axe-core's violations on the page as it is."""
    results = Axe().run(page, options={"resultTypes": ["violations"]}).response
    return {f"{v['id']} ({v['impact']})": len(v["nodes"]) for v in results["violations"]}


def open_editor_by_keyboard(page) -> None:
    page.locator(".network-plot").focus()
    page.keyboard.press("ArrowRight")  # the first link out of the first input
    page.keyboard.press("Enter")
    expect(page.locator(".weight-editor")).to_be_visible(timeout=TIMEOUT_MS)


AXE_STATES = {"free play": (START, None), "a lesson": ("#lesson=01-linear-boundary", None),
              "K = 3": ("#dataset=spiral&numClasses=3&networkShape=4,2", None),
              "the weight editor open": (START, open_editor_by_keyboard)}


@pytest.mark.parametrize("state", list(AXE_STATES))
def test_axe_finds_nothing_critical_or_serious(open_app, page, state):
    hash_, then = AXE_STATES[state]
    open_at(open_app, page, CHROMEBOOK, hash_)
    if then:
        then(page)
    counts = axe_counts(page)
    print(f"axe, {state}: {counts}")
    serious = {rule: n for rule, n in counts.items() if rule.endswith(("(critical)", "(serious)"))}
    assert not serious, f"{state}: {serious}"


def test_controls_are_named_and_toggles_say_their_state(open_app, page):
    open_at(open_app, page, CHROMEBOOK)
    for name in ("Ratio of training to test data", "Noise", "Batch size"):
        expect(page.get_by_role("slider", name=name)).to_be_visible()
    for name in ("Show test data", "Discretize output"):
        expect(page.get_by_role("checkbox", name=name, exact=True)).not_to_be_checked()
    classes = page.get_by_role("group", name="Classes")
    expect(classes.get_by_role("button", name="2")).to_have_attribute("aria-pressed", "true")
    expect(classes.get_by_role("button", name="3")).to_be_disabled()  # a two-class dataset
    page.get_by_role("button", name="Spiral").click()
    classes.get_by_role("button", name="3").click()
    expect(classes.get_by_role("button", name="3")).to_have_attribute("aria-pressed", "true", timeout=TIMEOUT_MS)
    expect(classes.get_by_role("button", name="2")).to_have_attribute("aria-pressed", "false")
    page.get_by_role("slider", name="Noise").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.hash.includes('noise=5')", timeout=TIMEOUT_MS)
    expect(page.get_by_role("button", name="X₁", exact=True)).to_have_attribute("aria-pressed", "true")


def test_advanced_settings_are_closed_until_asked_for_or_a_link_sets_them(open_app, page):
    open_at(open_app, page, CHROMEBOOK)
    advanced = page.get_by_role("button", name="Advanced")
    expect(advanced).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("combobox", name="Engine")).to_be_hidden()
    expect(page.locator(".engine-note")).to_be_hidden()
    expect(page.locator(".frames-per-second")).to_be_hidden()
    advanced.click()
    expect(advanced).to_have_attribute("aria-expanded", "true")
    for name in ("Engine", "Optimizer", "Loss"):
        expect(page.get_by_role("combobox", name=name)).to_be_visible()
    expect(page.locator(".engine-note")).to_contain_text("slow on purpose")
    expect(page.locator(".frames-per-second")).to_be_visible()
    open_app(START + "&optimizer=adam")  # a link that sets one opens them
    expect(page.get_by_role("button", name="Advanced")).to_have_attribute("aria-expanded", "true",
                                                                          timeout=TIMEOUT_MS)
    expect(page.get_by_role("combobox", name="Optimizer")).to_have_value("Adam")


def test_hide_text_hides_the_banner_and_the_notes(open_app, page):
    open_at(open_app, page, CHROMEBOOK, START + "&hideText=true")
    expect(page.locator(".app-header")).to_be_hidden()
    page.get_by_role("button", name="Advanced").click()
    expect(page.get_by_role("combobox", name="Engine")).to_be_visible()
    expect(page.locator(".engine-note")).to_be_hidden()
    expect(page.locator(".network-notes-pane")).to_be_hidden()


# ---------------------------------------------------------------- the keyboard and the network
def test_keyboard_from_the_top_of_the_page_edits_a_weight(open_app, page):
    open_at(open_app, page, CHROMEBOOK)
    stops = []
    for _ in range(120):  # Tab from the top of the page until the network picture has the focus
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE_JS)
        stops.append(active["name"] or active["cls"])
        if "network-plot" in active["cls"]:
            break
    else:
        raise AssertionError(f"the network picture is not in the tab order: {stops}")
    assert stops[0] == "Skip to the network picture"  # the first stop skips the ~40 controls before it
    assert active["visible"]  # focused by the keyboard: the ring is drawn around the item
    live = page.locator(".network-picture [aria-live]")
    expect(live).to_contain_text("Input X₁, fed in", timeout=TIMEOUT_MS)
    page.keyboard.press("ArrowDown")
    expect(live).to_contain_text("Input X₂")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowRight")  # along the first link out of X₁
    expect(live).to_contain_text("Weight")
    expect(live).to_contain_text("from X₁ to neuron 1 of layer 1")
    expect(page.locator(".network-tooltip")).to_contain_text("Enter to edit")
    page.keyboard.press("Enter")
    field = page.get_by_role("spinbutton", name="New weight")
    expect(field).to_be_focused()
    field.fill("1.5")
    page.keyboard.press("Enter")
    expect(page.locator(".weight-editor")).to_be_hidden()
    assert "network-plot" in page.evaluate(ACTIVE_JS)["cls"]  # back on the picture, where it was
    expect(page.locator(".network-tooltip")).to_contain_text("Weight 1.500", timeout=TIMEOUT_MS)
    page.keyboard.press("ArrowRight")  # on to the neuron it feeds: Enter edits its bias
    expect(live).to_contain_text("Neuron 1 of layer 1. Bias")
    page.keyboard.press("Escape")  # leaves the picture
    assert "network-plot" not in page.evaluate(ACTIVE_JS)["cls"]
    expect(page.locator(".network-tooltip")).to_be_hidden()
    print(f"keyboard: {len(stops)} Tab presses from the top of the page to the network picture")


def test_the_first_tab_stop_skips_to_the_network_picture(open_app, page):
    open_at(open_app, page, TABLET)  # the header is tallest here: the hidden link must not show over it
    skip_box = page.get_by_role("button", name="Skip to the network picture").bounding_box()
    assert skip_box["width"] <= 1 and skip_box["height"] <= 1  # unseen until focused
    page.keyboard.press("Tab")
    skip = page.get_by_role("button", name="Skip to the network picture")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown while it has the focus
    page.keyboard.press("Enter")
    assert "network-plot" in page.evaluate(ACTIVE_JS)["cls"]
    expect(page.locator(".network-picture [aria-live]")).to_contain_text("Input X₁", timeout=TIMEOUT_MS)


def test_a_tooltip_follows_the_live_value_and_goes_on_scroll(open_app, page):
    open_at(open_app, page, CHROMEBOOK, START + "&learningRate=0.3")
    link = "from neuron 1 of layer 2 to the output"
    position = link_position(page, link)
    page.mouse.move(position["x"] - 30, position["y"] - 30)
    page.mouse.move(position["x"], position["y"], steps=3)
    tooltip = page.locator(".network-tooltip")
    expect(tooltip).to_contain_text("(click to edit)")  # the mouse's way; the keyboard's is Enter
    expect(page.locator(".network-picture [aria-live]")).to_contain_text("Weight")  # said as well as shown
    page.mouse.move(5, 5)
    expect(tooltip).to_be_hidden()
    page.locator(".network-plot").focus()
    page.keyboard.press("ArrowRight")
    first = re.search(r"Weight (-?\d+\.\d+)", tooltip.inner_text()).group(1)
    page.get_by_role("button", name="Play").click()
    page.locator(".network-plot").focus()
    expect(tooltip).not_to_contain_text(f"Weight {first}", timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Pause").click()
    page.locator(".network-plot").focus()
    expect(tooltip).to_be_visible()
    page.mouse.move(700, 400)
    page.mouse.wheel(0, 200)
    expect(tooltip).to_be_hidden(timeout=TIMEOUT_MS)
