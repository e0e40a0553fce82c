from pathlib import Path
from tests.factories import make_shop, make_product

def test_proto(open_page, live_town):
    shop = make_shop(name="Proto shop axe")
    make_product(shop, "Tomme", 1200)
    page = open_page("desktop", "fr")
    msgs = []
    page.on("console", lambda m: msgs.append((m.type, m.text)))
    reqs=[]
    page.on("request", lambda r: reqs.append(r.url))
    page.goto("/map")
    src = Path("tests/e2e/vendor/axe.min.js").read_text()
    page.evaluate("(() => {" + src + "\n})()")
    print(page.evaluate("typeof axe"))
    res = page.evaluate("""async () => { const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}}); return r.violations.map(v => [v.id, v.impact, v.nodes.length, v.nodes.slice(0,2).map(n => n.target.join(' '))]); }""")
    print(res)
    print(msgs)
    print([r for r in reqs if "127.0.0.1" not in r])
    print(page.locator(".leaflet-marker-icon").count())
