"""French first; a visitor can switch to English, and a logged-in user's choice is remembered."""

from marketplace.extensions import db
from tests.conftest import post_form
from tests.factories import login


def lang_of(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_french_by_default_english_when_the_browser_asks(app, client):
    assert lang_of(client.get("/")) == "fr"
    assert lang_of(client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})) == "fr"
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert lang_of(english) == "en"
    assert "Log in" in english.get_data(as_text=True)


def test_the_language_switch_sticks_and_goes_back_to_the_page(app, client):
    response = client.get("/lang/en", query_string={"next": "/shops?category=fromagerie"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/shops?category=fromagerie"
    assert lang_of(client.get("/")) == "en"
    client.get("/lang/fr", query_string={"next": "/"})
    assert lang_of(client.get("/", headers={"Accept-Language": "en"})) == "fr"


def test_the_language_switch_never_sends_to_another_site(app, client):
    for target in ("https://evil.example/", "//evil.example/", "evil.example"):
        response = client.get("/lang/en", query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_a_logged_in_user_s_choice_is_kept_for_the_next_visit(app, client, resident):
    login(client, resident)
    client.get("/lang/en", query_string={"next": "/"})  # the header's link
    db.session.refresh(resident)
    assert resident.locale == "en"
    elsewhere = app.test_client()
    login(elsewhere, resident)
    assert lang_of(elsewhere.get("/")) == "en"


def test_an_unknown_language_changes_nothing(app, client):
    response = client.get("/lang/de", query_string={"next": "/"})
    assert response.status_code == 302
    assert lang_of(client.get("/")) == "fr"


def test_the_header_links_to_the_other_language_and_back_to_the_page(app, client):
    html = client.get("/shops?category=fromagerie").get_data(as_text=True)
    link = html.split('hreflang="en"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    response = client.get(link.replace("&amp;", "&"))
    assert response.headers["Location"] == "/shops?category=fromagerie"
    assert lang_of(client.get("/")) == "en"


def test_the_language_form_still_works_with_its_token(app, client):
    response = post_form(client, "/lang/en", {"next": "/shops"}, token_from="/account/login")
    assert response.headers["Location"] == "/shops"
    assert lang_of(client.get("/")) == "en"
