"""HTML of the emulator's hosted pages (checkout, 3-D Secure, Connect onboarding), fr and en."""

from __future__ import annotations

from html import escape

TEXT = {
    "en": {
        "banner": "TEST MODE — no real payment",
        "banner_note": "This page is the offline Stripe emulator. Use a test card: "
        "4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, "
        "4000 0025 0000 3155 asks for 3-D Secure.",
        "pay_title": "Pay",
        "summary": "Order summary",
        "total": "Total",
        "email": "Email",
        "number": "Card number",
        "expiry": "Expiry date (MM / YY)",
        "cvc": "Security code (CVC)",
        "name": "Cardholder name",
        "pay": "Pay {amount}",
        "cancel": "Cancel and return to the shop",
        "tds_title": "3-D Secure authentication",
        "tds_text": "Your bank asks you to confirm this payment of {amount}. This is a test page: "
        "choose the outcome of the authentication.",
        "tds_ok": "Complete authentication",
        "tds_fail": "Fail authentication",
        "done_title": "Payment complete",
        "done_text": "This checkout session has been paid.",
        "back": "Return to the shop",
        "expired_title": "Session expired",
        "expired_text": "This checkout session has expired. Nothing was charged.",
        "missing_title": "Page not found",
        "missing_text": "This link is not valid.",
        "onb_title": "Set up payouts for {name}",
        "onb_text": "Stripe Express onboarding, emulated: submitting fills in test data "
        "(identity, bank account FR76…3000) and enables charges and payouts.",
        "business": "Business name",
        "onb_submit": "Submit test details",
        "onb_leave": "Leave without finishing",
    },
    "fr": {
        "banner": "MODE TEST — aucun paiement réel",
        "banner_note": "Cette page est l’émulateur Stripe hors ligne. Utilisez une carte de "
        "test : 4242 4242 4242 4242 est acceptée, 4000 0000 0000 0002 est refusée, "
        "4000 0025 0000 3155 demande une authentification 3-D Secure.",
        "pay_title": "Paiement",
        "summary": "Récapitulatif",
        "total": "Total",
        "email": "E-mail",
        "number": "Numéro de carte",
        "expiry": "Date d’expiration (MM / AA)",
        "cvc": "Cryptogramme (CVC)",
        "name": "Titulaire de la carte",
        "pay": "Payer {amount}",
        "cancel": "Annuler et revenir à la boutique",
        "tds_title": "Authentification 3-D Secure",
        "tds_text": "Votre banque vous demande de confirmer ce paiement de {amount}. "
        "Page de test : choisissez le résultat de l’authentification.",
        "tds_ok": "Valider l’authentification",
        "tds_fail": "Faire échouer l’authentification",
        "done_title": "Paiement effectué",
        "done_text": "Cette session de paiement est réglée.",
        "back": "Revenir à la boutique",
        "expired_title": "Session expirée",
        "expired_text": "Cette session de paiement a expiré. Rien n’a été débité.",
        "missing_title": "Page introuvable",
        "missing_text": "Ce lien n’est pas valide.",
        "onb_title": "Configurer les virements pour {name}",
        "onb_text": "Inscription Stripe Express émulée : l’envoi remplit des données de test "
        "(identité, compte bancaire FR76…3000) et active paiements et virements.",
        "business": "Nom de l’entreprise",
        "onb_submit": "Envoyer les données de test",
        "onb_leave": "Partir sans terminer",
    },
}
ERRORS_FR = {
    "Your card was declined.": "Votre carte a été refusée.",
    "Your card has insufficient funds.": "Votre carte n’est pas suffisamment approvisionnée.",
    "Your card number is incorrect.": "Le numéro de carte est incorrect.",
    "Your card's expiration date is incorrect.": "La date d’expiration est incorrecte.",
    "Your card's security code is incorrect.": "Le cryptogramme est incorrect.",
    "Please enter your email address.": "Veuillez saisir votre adresse e-mail.",
}
STYLE = """body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;
color:#1a1a1a}.banner{background:#ffe8a3;border:2px solid #b7791f;padding:.75rem;border-radius:6px}
.banner strong{display:block;font-size:1.1rem}label{display:block;margin-top:1rem;font-weight:600}
input{display:block;width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
button{margin-top:1.25rem;padding:.6rem 1rem;font-size:1rem;cursor:pointer}
.error{color:#9b1c1c;background:#fde8e8;padding:.5rem;border-radius:4px;margin-top:1rem}
table{width:100%;border-collapse:collapse}td{padding:.25rem 0}td.amount{text-align:right}
a{color:#1d4ed8}"""


def pick_language(locale: str | None, accept_language: str) -> str:
    """Return "fr" or "en" from the session locale, else from the browser's Accept-Language."""
    if locale in TEXT:
        return locale
    for part in accept_language.split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in TEXT:
            return code
    return "en"


def money(cents: int, currency: str, lang: str) -> str:
    """Format an amount: 1 234,50 € in French, €1,234.50 in English (EUR)."""
    symbol = "€" if currency == "eur" else currency.upper() + " "
    if lang == "fr":
        text = f"{cents / 100:,.2f}".replace(",", "\u202f").replace(".", ",")
        return f"{text}\u00a0{symbol.strip()}"
    return f"{symbol}{cents / 100:,.2f}"


def error_text(message: str, lang: str) -> str:
    """Translate a card error message for the page language."""
    return ERRORS_FR.get(message, message) if lang == "fr" else message


def layout(lang: str, title: str, body: str, status: int = 200) -> tuple[str, int]:
    """Wrap body in an accessible HTML page carrying the test-mode banner."""
    t = TEXT[lang]
    page = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} — {escape(t["banner"])}</title><style>{STYLE}</style></head>
<body><div class="banner" role="note"><strong>{escape(t["banner"])}</strong>
{escape(t["banner_note"])}</div><main><h1>{escape(title)}</h1>{body}</main></body></html>"""
    return page, status


def field(name: str, label: str, value: str = "", error: str | None = None, **attrs) -> str:
    """Return a labelled input; error adds aria-invalid and points to the alert."""
    extra = " ".join(f'{k.replace("_", "-")}="{escape(str(v))}"' for k, v in attrs.items())
    aria = ' aria-invalid="true" aria-describedby="form-error"' if error else ""
    return (
        f'<label for="{name}">{escape(label)}</label><input id="{name}" name="{name}" '
        f'value="{escape(value)}" {extra}{aria}>'
    )


def checkout(session, lang: str, error: str | None = None, values: dict | None = None):
    """The hosted payment form of a Checkout Session."""
    t, v = TEXT[lang], values or {}
    rows = "".join(
        f"<tr><td>{escape(i['description'])} × {i['quantity']}</td>"
        f'<td class="amount">{money(i["amount_total"], i["currency"], lang)}</td></tr>'
        for i in session._items
    )
    total = money(session.amount_total, session.currency, lang)
    alert = f'<p class="error" id="form-error" role="alert">{escape(error)}</p>' if error else ""
    email = session.customer_email or v.get("email", "")
    readonly = {"readonly": "readonly"} if session.customer_email else {}
    cancel = (
        f'<p><a href="{escape(session.cancel_url)}">{escape(t["cancel"])}</a></p>'
        if session.cancel_url
        else ""
    )
    body = f"""<h2>{escape(t["summary"])}</h2><table>{rows}
<tr><th scope="row">{escape(t["total"])}</th><td class="amount"><strong>{total}</strong></td></tr>
</table>{alert}<form method="post" novalidate>
{field("email", t["email"], email, None, type="email", autocomplete="email", required="required", **readonly)}
{field("cardnumber", t["number"], v.get("cardnumber", ""), error, inputmode="numeric", autocomplete="cc-number", required="required", placeholder="4242 4242 4242 4242")}
{field("expiry", t["expiry"], v.get("expiry", "12 / 34"), None, autocomplete="cc-exp", required="required")}
{field("cvc", t["cvc"], v.get("cvc", "123"), None, inputmode="numeric", autocomplete="cc-csc", required="required")}
{field("name", t["name"], v.get("name", ""), None, autocomplete="cc-name")}
<button type="submit">{escape(t["pay"].format(amount=total))}</button></form>{cancel}"""
    return layout(lang, t["pay_title"], body)


def three_d_secure(session, lang: str):
    """The 3-D Secure challenge page with its two outcomes."""
    t = TEXT[lang]
    amount = money(session.amount_total, session.currency, lang)
    body = f"""<p>{escape(t["tds_text"].format(amount=amount))}</p><form method="post">
<button type="submit" name="outcome" value="complete">{escape(t["tds_ok"])}</button>
<button type="submit" name="outcome" value="fail">{escape(t["tds_fail"])}</button></form>"""
    return layout(lang, t["tds_title"], body)


def message(lang: str, key: str, link: str | None = None, status: int = 200):
    """A short page (done, expired, not found) with an optional link back to the shop."""
    t = TEXT[lang]
    back = f'<p><a href="{escape(link)}">{escape(t["back"])}</a></p>' if link else ""
    return layout(lang, t[f"{key}_title"], f"<p>{escape(t[f'{key}_text'])}</p>{back}", status)


def onboarding(account, lang: str, return_url: str):
    """The emulated Express onboarding form."""
    t = TEXT[lang]
    name = account.business_profile.get("name") or account.email or account.id
    body = f"""<p>{escape(t["onb_text"])}</p><form method="post">
{field("business_name", t["business"], name, None, autocomplete="organization")}
<button type="submit">{escape(t["onb_submit"])}</button></form>
<p><a href="{escape(return_url)}">{escape(t["onb_leave"])}</a></p>"""
    return layout(lang, t["onb_title"].format(name=name), body)
