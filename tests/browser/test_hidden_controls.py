"""A link's `*_hide` keys hide the page's own form controls (sliders and checkboxes are browser components
whose stylesheet must not override the page's hiding)."""

from playwright.sync_api import expect

from .test_app_training import TIMEOUT_MS

HIDDEN = {"percTrainData": ".ratio-slider", "noise": ".noise-slider", "batchSize": ".batch-size-slider",
          "showTestData": ".show-test-data", "discretize": ".discretize-output"}


def test_a_link_hides_the_sliders_and_checkboxes_it_names(open_app):
    page = open_app("#dataset=circle&seed=0.1&" + "&".join(f"{key}_hide=true" for key in HIDDEN))
    expect(page.locator(".playground-app.complete")).to_be_attached(timeout=TIMEOUT_MS)
    for selector in HIDDEN.values():
        expect(page.locator(selector)).to_be_hidden(timeout=TIMEOUT_MS)
    expect(page.locator(".regenerate-button")).to_be_visible()
    page = open_app("#dataset=circle&seed=0.1")
    expect(page.locator(".playground-app.complete")).to_be_attached(timeout=TIMEOUT_MS)
    for selector in HIDDEN.values():
        expect(page.locator(selector)).to_be_visible(timeout=TIMEOUT_MS)
