"""Reading imsmanifest.xml: pure, no database. Fixtures in ``manifests/`` look like what authoring tools export."""

import sys
import time
from contextlib import contextmanager
from decimal import Decimal as D
from pathlib import Path

import pytest

from courses.scorm import manifest
from courses.scorm.manifest import Manifest, ManifestError, Sco

FIXTURES = Path(__file__).parent / "manifests"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def manifest_12(items: str, resources: str, *, metadata: str = "<schemaversion>1.2</schemaversion>",
                organizations: str = 'default="o"') -> bytes:
    """A SCORM 1.2 manifest around the given <item>s and <resource>s."""
    return f"""<?xml version="1.0"?>
<manifest identifier="M" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema>{metadata}</metadata>
  <organizations {organizations}>
    <organization identifier="o"><title>Course</title>{items}</organization>
  </organizations>
  <resources>{resources}</resources>
</manifest>""".encode()


def one_sco(href: str, *, parameters: str = "", base: str = "", item: str = "") -> bytes:
    params = f' parameters="{parameters}"' if parameters else ""
    xml_base = f' xml:base="{base}"' if base else ""
    return manifest_12(f'<item identifier="i" identifierref="r"{params}><title>One</title>{item}</item>',
                       f'<resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="{href}"{xml_base}/>')


def refusal(data: bytes, **kwargs) -> ManifestError:
    with pytest.raises(ManifestError) as caught:
        manifest.parse(data, **kwargs)
    return caught.value


# --- the fixtures, read whole ---


def test_scorm12_single_sco_with_mastery_score_and_time_limit():
    assert manifest.parse(fixture("scorm12_single.xml")) == Manifest(
        version="1.2", identifier="com.example.fire-safety.12", title="Fire Safety Basics",
        scos=(Sco(identifier="fire_safety_sco", title="Fire Safety Basics", href="index_lms.html",
                  path="index_lms.html", scorm_type="sco", mastery_score=D("80"), time_limit_action="exit,message",
                  max_time_allowed="00:30:00", launch_data="mode=exam;lang=en"),),
        toc=((0, "Fire Safety Basics", "fire_safety_sco"),),
    )


def test_scorm12_multi_sco_nested_folders_asset_base_and_parameters():
    parsed = manifest.parse(fixture("scorm12_multi.xml"))
    assert (parsed.version, parsed.identifier, parsed.title) == ("1.2", "MANIFEST-CRANE-OPS", "Crane Operations")
    assert [(s.identifier, s.href, s.path, s.scorm_type, s.mastery_score) for s in parsed.scos] == [
        ("SCO-1-1", "course/m1/checks/index.html?chapter=1", "course/m1/checks/index.html", "sco", None),
        ("SCO-1-2", "course/m1/signals/index.html?lang=en&chapter=2", "course/m1/signals/index.html", "sco",
         D("75.5")),
        ("SCO-2-1", "course/m2/load%20charts.html#start", "course/m2/load charts.html", "sco", None),
        ("ASSET-2-2", "course/docs/handbook.pdf", "course/docs/handbook.pdf", "asset", None),
        ("SCO-3", "course/./quiz/index.html", "course/quiz/index.html", "sco", D("70")),
    ]
    assert parsed.toc == (
        (0, "Module 1: Before the lift", None), (1, "Daily checks", "SCO-1-1"), (1, "Hand signals", "SCO-1-2"),
        (0, "Module 2: The lift", None), (1, "Part A", None), (2, "Load charts", "SCO-2-1"),
        (1, "Handbook (PDF)", "ASSET-2-2"), (0, "Final quiz", "SCO-3"),
    )


def test_scorm12_multi_checks_launch_paths_against_the_package_files():
    names = {"course/m1/checks/index.html", "course/m1/signals/index.html", "course/m2/load charts.html",
             "course/docs/handbook.pdf", "course/quiz/index.html"}
    assert len(manifest.parse(fixture("scorm12_multi.xml"), names=names).scos) == 5
    error = refusal(fixture("scorm12_multi.xml"), names=names - {"course/quiz/index.html"})
    assert (error.rule, error.detail, error.params) == ("missing-launch", "course/quiz/index.html", {"item": "SCO-3"})


def test_scorm2004_2nd_edition_cam_13_minimum_normalized_measure():
    parsed = manifest.parse(fixture("scorm2004_2nd.xml"))
    assert (parsed.version, parsed.title) == ("2004-2", "Working at Height: Ladders")
    assert parsed.scos == (Sco(identifier="ladder_item", title="Ladders", href="scormcontent/index.html",
                               path="scormcontent/index.html", scorm_type="sco", mastery_score=D("75"),
                               time_limit_action="", max_time_allowed="", launch_data=""),)


def test_scorm2004_3rd_edition_sequencing_collection_time_limit_launch_data_parameters():
    parsed = manifest.parse(fixture("scorm2004_3rd.xml"))
    assert parsed.version == "2004-3"
    intro, test = parsed.scos
    assert intro == Sco(identifier="cs_intro", title="Introduction", href="sco/intro.html?v=3&mode=intro",
                        path="sco/intro.html", scorm_type="sco", mastery_score=D("90"),  # from the collection
                        time_limit_action="continue,message", max_time_allowed="PT20M",  # the item's own wins
                        launch_data='{"deck":"intro"}')
    assert (test.mastery_score, test.max_time_allowed) == (D("0"), "PT1H")  # -0.5 counts as 0; limit shared


def test_scorm2004_objectives_the_item_defines_replace_the_shared_ones():
    data = fixture("scorm2004_3rd.xml").replace(
        b'<imsss:limitConditions attemptAbsoluteDurationLimit="PT20M"/>',
        b'<imsss:objectives><imsss:primaryObjective objectiveID="own"/></imsss:objectives>')
    intro = manifest.parse(data).scos[0]
    assert (intro.mastery_score, intro.max_time_allowed) == (None, "PT1H")


def test_scorm2004_4th_edition_default_organization_and_primary_objective():
    parsed = manifest.parse(fixture("scorm2004_4th.xml"))
    assert (parsed.version, parsed.identifier, parsed.title) == ("2004-4", "FORKLIFT_2004_4", "Forklift Safety")
    assert parsed.scos == (Sco(identifier="EN_ITEM", title="Forklift Safety",
                               href="en/index.html?lang=en&skin=dark#slide-1", path="en/index.html", scorm_type="sco",
                               mastery_score=D("65"), time_limit_action="exit,no message", max_time_allowed="PT45M",
                               launch_data="region=eu"),)
    assert parsed.toc == ((0, "Forklift Safety", "EN_ITEM"),)


# --- unsafe and broken XML ---


RECORDING: list[list[tuple[str, tuple]]] = []  # the open recorders; the audit hook below writes to them


def _audit(event: str, args: tuple) -> None:
    if RECORDING and (event in ("open", "os.open", "urllib.Request") or event.startswith("socket.")):
        RECORDING[-1].append((event, args))


sys.addaudithook(_audit)  # PEP 578: a hook cannot be removed; it records only inside ``touched()``


@contextmanager
def touched():
    """Every file open and network call made inside the block."""
    events: list[tuple[str, tuple]] = []
    RECORDING.append(events)
    try:
        yield events
    finally:
        RECORDING.remove(events)


def test_external_entity_is_refused_before_any_file_or_network_is_touched():
    data = fixture("xxe_file.xml")
    error = None
    with touched() as events:
        try:
            manifest.parse(data)
        except ManifestError as exc:
            error = exc
    assert events == []  # neither /etc/passwd nor attacker.example
    assert error is not None and error.rule == "unsafe-xml"
    assert "root:" not in str(error)


def test_the_recorder_would_see_a_file_read(tmp_path):
    (tmp_path / "secret.txt").write_text("root:x:0:0")
    with touched() as events:
        (tmp_path / "secret.txt").read_text()
    assert [event for event, _args in events] == ["open"]


def test_entity_bomb_is_refused_without_expanding():
    started = time.perf_counter()
    error = refusal(fixture("entity_bomb.xml"))
    assert error.rule == "unsafe-xml"
    assert time.perf_counter() - started < 1
    assert "lol" not in str(error)


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE manifest SYSTEM "http://example.com/imscp.dtd">',  # an external DTD alone is refused too
    '<!DOCTYPE manifest [<!ENTITY company "ACME">]>',
    "<!DOCTYPE manifest>",
])
def test_any_doctype_is_unsafe(doctype):
    data = one_sco("index.html").replace(b"<manifest", doctype.encode() + b"<manifest", 1)
    assert refusal(data).rule == "unsafe-xml"


@pytest.mark.parametrize("name", ["malformed.xml", "malformed_mismatched.xml"])
def test_malformed_fixtures(name):
    assert refusal(fixture(name)).rule == "malformed"


@pytest.mark.parametrize("data", [b"", b"not xml", b"<manifest>&undeclared;</manifest>",
                                  b'<?xml version="1.0" encoding="klingon"?><manifest/>', b"\xff\xfe\x00garbage"])
def test_malformed_bytes(data):
    assert refusal(data).rule == "malformed"


def test_a_foreign_root_is_not_a_manifest():
    error = refusal(fixture("not_a_manifest.xml"))
    assert (error.rule, error.detail) == ("not-a-manifest", "coursestructure")


# --- versions and namespaces ---


@pytest.mark.parametrize(("declared", "version"), [
    ("1.2", "1.2"), ("CAM 1.3", "2004-2"), ("2004 2nd Edition", "2004-2"), ("2004 3rd Edition", "2004-3"),
    ("2004 4th Edition", "2004-4"), ("  2004   4th edition ", "2004-4"), ("SCORM 2004 3rd Edition", "2004-3"),
])
def test_version_from_schemaversion(declared, version):
    data = one_sco("a.html").replace(b"<schemaversion>1.2</schemaversion>",
                                     f"<schemaversion>{declared}</schemaversion>".encode())
    assert manifest.parse(data).version == version


def test_version_inferred_from_the_adl_namespace_without_schemaversion():
    data = manifest_12('<item identifier="i" identifierref="r"/>',
                       '<resource identifier="r" adlcp:scormtype="sco" href="a.html"/>', metadata="")
    assert manifest.parse(data).version == "1.2"
    assert manifest.parse(data.replace(b"adlcp_rootv1p2", b"adlcp_v1p3")).version == "2004-3"
    schema_location_only = (b'<manifest identifier="M" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                            b'xsi:schemaLocation="http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">'
                            b'<organizations><organization identifier="o"><item identifier="i" identifierref="r"/>'
                            b'</organization></organizations><resources><resource identifier="r" href="a.html"/>'
                            b"</resources></manifest>")
    assert manifest.parse(schema_location_only).version == "1.2"


@pytest.mark.parametrize("declared", ["", "1.1", "cmi5"])
def test_unknown_version(declared):
    metadata = f"<schemaversion>{declared}</schemaversion>" if declared else ""
    data = manifest_12('<item identifier="i" identifierref="r"/>', '<resource identifier="r" href="a.html"/>',
                       metadata=metadata).replace(b' xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"', b"")
    error = refusal(data)
    assert (error.rule, error.detail) == ("unknown-version", declared)


def test_an_unknown_schemaversion_falls_back_to_the_namespace():
    data = one_sco("a.html").replace(b"<schemaversion>1.2</schemaversion>", b"<schemaversion>v1</schemaversion>")
    assert manifest.parse(data).version == "1.2"


def test_elements_are_matched_by_local_name_whatever_the_namespace():
    data = b"""<manifest identifier="bare">
      <metadata><schemaversion>2004 3rd Edition</schemaversion></metadata>
      <organizations default="x"><organization identifier="x"><title>No namespaces</title>
        <item identifier="i" identifierref="r"><title>Bare</title><TimeLimitAction>exit,message</TimeLimitAction>
        </item></organization></organizations>
      <resources><resource identifier="r" scormType="SCO" href="a.html"/></resources>
    </manifest>"""
    parsed = manifest.parse(data)
    assert (parsed.title, parsed.scos[0].scorm_type, parsed.scos[0].time_limit_action) == (
        "No namespaces", "sco", "exit,message")
    vendor = data.replace(b'<manifest identifier="bare">',
                          b'<cp:manifest identifier="bare" xmlns:cp="http://www.imsglobal.org/xsd/imscp_v1p1" '
                          b'xmlns:a="http://www.adlnet.org/xsd/adlcp_v1p3">').replace(b"</manifest>", b"</cp:manifest>")
    vendor = vendor.replace(b"scormType=", b"a:scormtype=")
    assert manifest.parse(vendor).scos[0].scorm_type == "sco"


# --- organizations, items, resources ---


def test_default_organization_falls_back_to_the_first_and_title_to_the_identifier():
    data = manifest_12('<item identifier="i" identifierref="r"/>',
                       '<resource identifier="r" adlcp:scormtype="sco" href="a.html"/>',
                       organizations='default="gone"').replace(b"<title>Course</title>", b"")
    parsed = manifest.parse(data)
    assert (parsed.title, parsed.scos[0].title, parsed.toc) == ("M", "i", ((0, "i", "i"),))


def test_a_scorm12_parent_item_with_a_resource_launches_too():
    data = manifest_12('<item identifier="p" identifierref="r"><title>Overview</title>'
                       '<item identifier="c" identifierref="r"><title>Detail</title></item></item>',
                       '<resource identifier="r" adlcp:scormtype="sco" href="a.html"/>')
    parsed = manifest.parse(data)
    assert [s.identifier for s in parsed.scos] == ["p", "c"]
    assert parsed.toc == ((0, "Overview", "p"), (1, "Detail", "c"))


def test_a_resource_without_scormtype_is_an_asset():
    data = manifest_12('<item identifier="i" identifierref="r"/>', '<resource identifier="r" href="a.pdf"/>')
    assert manifest.parse(data).scos[0].scorm_type == "asset"


def test_an_item_without_identifier_gets_its_position():
    data = manifest_12('<item><title>Folder</title><item identifierref="r"><title>Leaf</title></item></item>',
                       '<resource identifier="r" adlcp:scormtype="sco" href="a.html"/>')
    assert manifest.parse(data).toc == ((0, "Folder", None), (1, "Leaf", "item-2"))


@pytest.mark.parametrize(("items", "organizations"), [
    ("", 'default="o"'),
    ('<item identifier="f"><title>Only a folder</title></item>', 'default="o"'),
])
def test_nothing_to_launch(items, organizations):
    assert refusal(manifest_12(items, "", organizations=organizations)).rule == "no-sco"


def test_no_organization_at_all():
    data = (b'<manifest identifier="M"><metadata><schemaversion>1.2</schemaversion></metadata>'
            b"<organizations/></manifest>")
    assert refusal(data).rule == "no-sco"


def test_an_item_pointing_at_no_resource():
    error = refusal(manifest_12('<item identifier="i" identifierref="ghost"/>', ""))
    assert (error.rule, error.detail, error.params) == ("missing-resource", "ghost", {"item": "i"})


def test_a_referenced_resource_without_href_cannot_launch():
    error = refusal(manifest_12('<item identifier="i" identifierref="r"/>', '<resource identifier="r"/>'))
    assert (error.rule, error.params) == ("missing-launch", {"item": "i", "resource": "r"})


def test_too_many_items():
    leaves = "".join(f'<item identifier="i{n}" identifierref="r"/>' for n in range(1000))
    resource = '<resource identifier="r" adlcp:scormtype="sco" href="a.html"/>'
    assert len(manifest.parse(manifest_12(leaves, resource)).scos) == 1000
    error = refusal(manifest_12(leaves + '<item identifier="one-more"/>', resource))
    assert (error.rule, error.detail, error.params) == ("too-many-items", "1001", {"limit": 1000})


def test_deep_nesting_does_not_recurse():
    depth = 999
    items = '<item identifier="f">' * depth + '<item identifier="leaf" identifierref="r"/>' + "</item>" * depth
    parsed = manifest.parse(manifest_12(items, '<resource identifier="r" adlcp:scormtype="sco" href="a.html"/>'))
    assert parsed.toc[-1] == (depth, "leaf", "leaf")


# --- launch addresses ---


@pytest.mark.parametrize("href", [
    "http://evil.example/x.html", "https://evil.example/", "javascript:alert(1)", "JavaScript:alert(1)",
    "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;", "//evil.example/x.html", "/etc/passwd", "../outside.html",
    "content/../../outside.html", "content/..", "a\\b.html", "\\\\server\\share", "java&#9;script:alert(1)",
    "java&#10;script:alert(1)", "a.html&#127;", "%2e%2e/outside.html", "content/%2E%2E/%2e%2E/x.html", "%2fetc/passwd",
    "a%5c..%5cb.html", "a%00.html", "vbscript:x", "file:///etc/passwd", "mailto:x@example.com", "a:b.html",
])
def test_unsafe_hrefs(href):
    assert refusal(one_sco(href)).rule == "unsafe-href"


@pytest.mark.parametrize("base", ["http://cdn.example/", "/abs/", "../", "a/../../"])
def test_unsafe_xml_base(base):
    assert refusal(one_sco("index.html", base=base)).rule == "unsafe-href"


def test_unsafe_parameters():
    assert refusal(one_sco("index.html", parameters="a=1&#9;b")).rule == "unsafe-href"
    assert manifest.parse(one_sco("index.html", parameters="&#10; a=1 &#10;")).scos[0].href == "index.html?a=1"


def test_an_unsafe_base_on_an_unlaunched_resource_is_no_concern():
    data = manifest_12('<item identifier="i" identifierref="r"/>',
                       '<resource identifier="r" adlcp:scormtype="sco" href="a.html"/>'
                       '<resource identifier="cdn" href="x.js" xml:base="https://cdn.example/"/>')
    assert manifest.parse(data).scos[0].href == "a.html"


@pytest.mark.parametrize(("href", "launch", "path"), [
    ("index.html", "index.html", "index.html"),
    ("./index.html", "./index.html", "index.html"),
    (" index.html ", "index.html", "index.html"),
    ("a//b/./c.html", "a//b/./c.html", "a/b/c.html"),
    ("my%20page.html?x=1#top", "my%20page.html?x=1#top", "my page.html"),
    ("page.html?next=../other.html", "page.html?next=../other.html", "page.html"),  # a query is not a path
    ("caf%C3%A9.html", "caf%C3%A9.html", "café.html"),
    ("dir/a:b.html", "dir/a:b.html", "dir/a:b.html"),  # a colon after a slash is no scheme
])
def test_launch_address_and_path(href, launch, path):
    sco = manifest.parse(one_sco(href)).scos[0]
    assert (sco.href, sco.path) == (launch, path)


@pytest.mark.parametrize(("base", "href"), [("content", "content/index.html"), ("content/", "content/index.html"),
                                            ("a/b", "a/b/index.html")])
def test_xml_base_is_a_folder(base, href):
    assert manifest.parse(one_sco("index.html", base=base)).scos[0].href == href


def test_manifest_resources_and_resource_bases_join():
    data = manifest_12('<item identifier="i" identifierref="r"/>',
                       '<resource identifier="r" adlcp:scormtype="sco" href="c.html" xml:base="r/"/>')
    data = data.replace(b'<manifest identifier="M"', b'<manifest identifier="M" xml:base="m/"')
    data = data.replace(b"<resources>", b'<resources xml:base="rs">')
    assert manifest.parse(data).scos[0].href == "m/rs/r/c.html"


@pytest.mark.parametrize(("href", "parameters", "expected"), [
    ("a.html", "", "a.html"),
    ("a.html", "x=1", "a.html?x=1"),
    ("a.html", "?x=1", "a.html?x=1"),
    ("a.html", "&x=1", "a.html?x=1"),
    ("a.html", "??&x=1", "a.html?x=1"),
    ("a.html?v=2", "x=1", "a.html?v=2&x=1"),
    ("a.html?v=2", "?x=1", "a.html?v=2&x=1"),
    ("a.html?", "x=1", "a.html?x=1"),
    ("a.html?v=2&", "x=1", "a.html?v=2&x=1"),
    ("a.html", "#intro", "a.html#intro"),
    ("a.html?v=2", "#intro", "a.html?v=2#intro"),
    ("a.html#own", "#intro", "a.html#own"),  # the href's own fragment stays
    ("a.html#own", "x=1", "a.html?x=1#own"),  # the query goes before the fragment
    ("a.html", "x=1#intro", "a.html?x=1#intro"),
    ("a.html#own", "x=1#intro", "a.html?x=1#own"),
    ("a.html", "  x=1  ", "a.html?x=1"),
    ("a.html", "?", "a.html"),
])
def test_with_parameters(href, parameters, expected):
    assert manifest.with_parameters(href, parameters) == expected


# --- mastery score ---


@pytest.mark.parametrize(("text", "expected"), [
    ("80", D("80")), ("0", D("0")), ("100", D("100")), ("75.5", D("75.50")), (" 90 ", D("90")), ("", None),
    ("66.666", D("66.67")),
])
def test_mastery_score_12(text, expected):
    sco = manifest.parse(one_sco("a.html", item=f"<adlcp:masteryscore>{text}</adlcp:masteryscore>")).scos[0]
    assert sco.mastery_score == expected


@pytest.mark.parametrize("text", ["-1", "100.01", "eighty", "80%", "1e2", "NaN", "Infinity"])
def test_invalid_mastery_score_12(text):
    error = refusal(one_sco("a.html", item=f"<adlcp:masteryscore>{text}</adlcp:masteryscore>"))
    assert (error.rule, error.detail) == ("invalid-mastery", text)


def sco_2004(measure: str) -> bytes:
    return fixture("scorm2004_2nd.xml").replace(b"<imsss:minNormalizedMeasure>0.75",
                                                f"<imsss:minNormalizedMeasure>{measure}".encode())


@pytest.mark.parametrize(("measure", "expected"), [
    ("1", D("100")), ("1.0", D("100")), ("0", D("0")), ("-1", D("0")), ("-0.2", D("0")), ("0.8", D("80")),
    ("0.123", D("12.30")), (".5", D("50")),
])
def test_mastery_score_2004_from_the_measure(measure, expected):
    assert manifest.parse(sco_2004(measure)).scos[0].mastery_score == expected


@pytest.mark.parametrize("measure", ["1.01", "-1.5", "80", "high"])
def test_invalid_measure_2004(measure):
    assert refusal(sco_2004(measure)).rule == "invalid-mastery"


def test_a_2004_manifest_ignores_the_12_mastery_element():
    data = fixture("scorm2004_2nd.xml").replace(b"<imsss:sequencing>\n          <imsss:objectives>",
                                                b"<adlcp:masteryscore>50</adlcp:masteryscore><imsss:sequencing>"
                                                b"<imsss:objectives>", 1)
    assert manifest.parse(data).scos[0].mastery_score == D("75")


def test_error_carries_rule_detail_and_params():
    error = ManifestError("too-many-items", "1001", limit=1000)
    assert (error.rule, error.detail, error.params, str(error)) == ("too-many-items", "1001", {"limit": 1000},
                                                                   "too-many-items: 1001")
    assert str(ManifestError("no-sco")) == "no-sco"


def test_two_items_with_one_identifier_are_refused():
    """The second would share the first one's data and could never be launched."""
    data = manifest_12(
        '<item identifier="i" identifierref="r"><title>One</title></item>'
        '<item identifier="i" identifierref="r"><title>Two</title></item>',
        '<resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="a.html"/>',
    )
    error = refusal(data)
    assert (error.rule, error.detail) == ("duplicate-identifier", "i")
