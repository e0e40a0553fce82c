"""The browser fixtures work: the live app answers in French and in English, on both devices."""

import pytest
from playwright.sync_api import expect

from tests.e2e.live import DEVICES


@pytest.mark.parametrize("device", DEVICES)
def test_home_in_both_languages(open_page, device):
    french = open_page(device, "fr")
    french.goto("/")
    expect(french.locator("html")).to_have_attribute("lang", "fr")
    expect(french.get_by_role("link", name="Aller au contenu")).to_be_attached()
    english = open_page(device, "en")
    english.goto("/")
    expect(english.locator("html")).to_have_attribute("lang", "en")
    expect(english.get_by_role("search").get_by_role("button", name="Search")).to_be_visible()
