"""A fake Sirene ("API Recherche d'entreprises") and BAN geocoder over real HTTP, for the tests.

They answer in the public APIs' documented formats: GET /sirene/search?q=<siret> a page of
companies (`results`, each with `siege` and `matching_etablissements`), GET /ban/search/?q=...
a GeoJSON FeatureCollection. A SIRET or street named SLOW gets no answer until the test ends.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

ACTIVE_SIRET = "73282932000074"  # a bakery, head office, active
CLOSED_SIRET = "55210055400013"  # a closed establishment of a company still active elsewhere
UNKNOWN_SIRET = "73282932000017"  # valid checksum, unknown to Sirene
SLOW_SIRET = "73282932000025"  # Sirene never answers in time
SLOW_STREET = "1 rue Lente"


def establishment(siret, street, postcode, city, naf, active=True, closed_on=None, head=False):
    """One establishment as the API describes it (fields the adapter reads, and a few others)."""
    return {
        "siret": siret,
        "activite_principale": naf,
        "adresse": f"{street} {postcode} {city}".upper(),
        "code_postal": postcode,
        "commune": "75111",
        "libelle_commune": city.upper(),
        "date_creation": "2015-03-01",
        "date_debut_activite": "2015-03-01",
        "date_fermeture": closed_on,
        "est_siege": head,
        "etat_administratif": "A" if active else "F",
        "latitude": "48.8652",
        "longitude": "2.3791",
        "liste_enseignes": None,
    }


def company(siren, name, naf, head, matching):
    """One result of /search: a legal unit with its head office and the matching places."""
    return {
        "siren": siren,
        "nom_complet": name,
        "nom_raison_sociale": name,
        "sigle": None,
        "nombre_etablissements": 2,
        "nombre_etablissements_ouverts": 1,
        "siege": head,
        "activite_principale": naf,
        "categorie_entreprise": "PME",
        "date_creation": "2015-03-01",
        "date_mise_a_jour": "2026-11-30T10:00:00",
        "etat_administratif": "A",
        "nature_juridique": "5499",
        "section_activite_principale": "C",
        "matching_etablissements": matching,
        "complements": {"est_ess": False},
    }


BAKERY_HEAD = establishment(ACTIVE_SIRET, "80 rue Oberkampf", "75011", "Paris", "10.71C", head=True)
COMPANIES = {
    ACTIVE_SIRET: company(
        "732829320", "BOULANGERIE OBERKAMPF", "10.71C", BAKERY_HEAD, [BAKERY_HEAD]
    ),
    CLOSED_SIRET: company(
        "552100554",
        "FROMAGES DU MARCHE",
        "47.29Z",
        establishment("55210055400005", "3 rue de Lappe", "75011", "Paris", "47.29Z", head=True),
        [
            establishment(
                CLOSED_SIRET, "12 rue Saint-Maur", "75011", "Paris", "47.29Z", False, "2024-06-30"
            )
        ],
    ),
}
OBERKAMPF = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [2.3791, 48.8652]},
    "properties": {
        "label": "80 Rue Oberkampf 75011 Paris",
        "score": 0.93,
        "housenumber": "80",
        "id": "75111_6935_00080",
        "name": "80 Rue Oberkampf",
        "postcode": "75011",
        "citycode": "75111",
        "x": 653941.2,
        "y": 6863225.6,
        "city": "Paris",
        "district": "Paris 11e Arrondissement",
        "context": "75, Paris, Île-de-France",
        "type": "housenumber",
        "importance": 0.71,
        "street": "Rue Oberkampf",
    },
}


@dataclass
class FakeRegisters:
    """The fake servers' base URLs and the questions each was asked."""

    sirene_url: str
    ban_url: str
    asked: list[str] = field(default_factory=list)  # "sirene <q>" / "ban <q>"
    release: threading.Event = field(default_factory=threading.Event)

    def questions(self, register: str) -> list[str]:
        """What `register` ("sirene", "ban") was asked, in order."""
        return [q.split(" ", 1)[1] for q in self.asked if q.startswith(register + " ")]


def _handler(fake: FakeRegisters):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlparse(self.path)
            q = parse_qs(url.query).get("q", [""])[0]
            if url.path == "/sirene/search":
                fake.asked.append(f"sirene {q}")
                if q == SLOW_SIRET:
                    fake.release.wait(10)
                found = [COMPANIES[q]] if q in COMPANIES else []
                body = {
                    "results": found,
                    "total_results": len(found),
                    "page": 1,
                    "per_page": 1,
                    "total_pages": len(found),
                }
            elif url.path == "/ban/search/":
                fake.asked.append(f"ban {q}")
                if SLOW_STREET.lower() in q.lower():
                    fake.release.wait(10)
                features = [OBERKAMPF] if "oberkampf" in q.lower() else []
                body = {
                    "type": "FeatureCollection",
                    "version": "draft",
                    "features": features,
                    "attribution": "BAN",
                    "licence": "ETALAB-2.0",
                    "query": q,
                    "limit": 1,
                }
            else:
                self.send_error(404)
                return
            data = json.dumps(body).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the timeout tests)

        def log_message(self, *args):
            pass

    return Handler


@contextmanager
def fake_registers() -> Iterator[FakeRegisters]:
    """Serve fake Sirene and BAN on a free port of 127.0.0.1 until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)  # type: ignore[arg-type]
    base = f"http://127.0.0.1:{server.server_port}"
    fake = FakeRegisters(sirene_url=f"{base}/sirene", ban_url=f"{base}/ban")
    server.RequestHandlerClass = _handler(fake)
    server.daemon_threads = True
    # A short poll: shutdown() at the end of each test returns within 50 ms, not 500.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def registers(app):
    """Fake Sirene and BAN servers, which the app asks (short timeouts)."""
    with fake_registers() as fake:
        app.config.update(
            SIRENE_API_URL=fake.sirene_url, BAN_API_URL=fake.ban_url, REGISTER_TIMEOUT_SECONDS=0.2
        )
        yield fake
