"""Any GS1 Digital Link URI → the constrained canonical GS1 Digital Link URI.

Ported from the EPCIS event hash reference implementation
(github.com/RalphTro/epcis-event-hash-generator, ``dl_normaliser.py`` at
5d2f1c389a1599af40fe1b530b62e0ca59ab818f), Copyright (c) 2019-2023 Ralph Troeger,
MIT licence (see ``tracer/epcis/resources/LICENSE-epcis-event-hash-generator``).

The steps and their regular expressions are the reference's, verbatim; the
reference's chains of replacements and alternatives are written as tables,
applied in the same order.
"""

from __future__ import annotations

from tracer.epcis.dl_primitives import match

_DIGITAL_LINK = r"^https?:(\/\/((([^\/?#]*)@)?([^\/?#:]*)(:([^\/?#]*))?))?((([^?#]*)(\/(01|gtin|8006|itip|8010|cpid|414|gln|417|party|8017|gsrnp|8018|gsrn|255|gcn|00|sscc|253|gdti|401|ginc|402|gsin|8003|grai|8004|giai)\/)(\d{4}[^\/]+)(\/[^/]+\/[^/]+)?[/]?(\?([^?\n]*))?(#([^\n]*))?)|(\/[A-Za-z_-]{10}$))"
_CANONICAL = r"^https:\/\/id.gs1.org\/(01|8006|8010|414|417|8017|8018|255|00|253|401|402|8003|8004)\/(\d{4}[^\/]+)(\/[^\/]+\/[^\/]+)?[\/]?(\?([^?\n]*))?(#([^\n]*))?|(\/[A-Za-z_-]{10}$)"

# short names for keys/key extensions → AIs, replaced in this order
_SHORT_NAMES = (
    ("/gtin/", "/01/"),
    ("/itip/", "/8006/"),
    ("/cpid/", "/8010/"),
    ("/gln/", "/414/"),
    ("/party/", "/417/"),
    ("/gsrnp/", "/8017/"),
    ("/gsrn/", "/8018/"),
    ("/gcn/", "/255/"),
    ("/sscc/", "/00/"),
    ("/gdti/", "/253/"),
    ("/ginc/", "/401/"),
    ("/gsin/", "/402/"),
    ("/grai/", "/8003/"),
    ("/giai/", "/8004/"),
    ("/cpv/", "/22/"),
    ("/lot/", "/10/"),
    ("/ser/", "/21/"),
)

# the key AIs a non-canonical domain is cut before (the first one found wins)
_KEY_AIS = (
    "/00/",
    "/01/",
    "/253/",
    "/255/",
    "/401/",
    "/402/",
    "/414/",
    "/417/",
    "/8003/",
    "/8004/",
    "/8006/",
    "/8010/",
    "/8017/",
    "/8018/",
)

# GTIN-8/12/13 → GTIN-14: the first pattern that matches says the padding
_GTIN_PADDING = (
    (r"^https:\/\/id.gs1.org\/01\/\d{13}", "/01/0"),
    (r"^https:\/\/id.gs1.org\/01\/\d{12}", "/01/00"),
    (r"^https:\/\/id.gs1.org\/01\/\d{8}", "/01/000000"),
)

# the URIs the normalised form may have
_VALID = (
    r"https:\/\/id.gs1.org\/00\/(\d{18})$",
    r"https:\/\/id.gs1.org\/01\/(\d{14})\/21\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$",
    r"https:\/\/id.gs1.org\/01\/(\d{14})\/10\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$",
    r"https:\/\/id.gs1.org\/01\/(\d{14})$",
    r"https:\/\/id.gs1.org\/01\/(\d{14})\/235\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,28})$",
    r"https:\/\/id.gs1.org\/253\/(\d{13})([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,17})$",
    r"https:\/\/id.gs1.org\/255\/(\d{13})(\d{0,12})$",
    r"https:\/\/id.gs1.org\/401\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,30})$",
    r"https:\/\/id.gs1.org\/402\/(\d{17})$",
    r"https:\/\/id.gs1.org\/414\/(\d{13})$",
    r"https:\/\/id.gs1.org\/414\/(\d{13})\/254\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$",
    r"https:\/\/id.gs1.org\/417\/(\d{13})$",
    r"https:\/\/id.gs1.org\/8003\/(\d{14})([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,16})$",
    r"https:\/\/id.gs1.org\/8004\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,30})$",
    r"https:\/\/id.gs1.org\/8006\/(\d{18})\/21\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$",
    r"https:\/\/id.gs1.org\/8006\/(\d{18})\/10\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$",
    r"https:\/\/id.gs1.org\/8006\/(\d{18})$",
    r"https:\/\/id.gs1.org\/8010\/([\x23\x2D\x2F\x30-\x39\x41-\x5A]{0,30})\/8011/(\d{0,12})$",
    r"https:\/\/id.gs1.org\/8010\/([\x23\x2D\x2F\x30-\x39\x41-\x5A]{0,30})$",
    r"https:\/\/id.gs1.org\/8017\/(\d{18})$",
    r"https:\/\/id.gs1.org\/8018\/(\d{18})$",
)


def canonical_digital_link(uri: str) -> str | None:
    """The constrained canonical form of a GS1 Digital Link URI, else None."""
    if match(_DIGITAL_LINK, uri) is None:
        return None

    # remove query string
    if uri.find("?") >= 0:
        uri = uri[: uri.index("?")]

    for short, ai in _SHORT_NAMES:
        uri = uri.replace(short, ai)

    # prefix with canonical domain name
    if match(_CANONICAL, uri) is None:
        for ai in _KEY_AIS:
            if uri.find(ai) != -1:
                uri = "https://id.gs1.org" + uri[(uri.find(ai)) :]
                break

    # ensure that all GTIN formats are padded to 14 digits
    if match(r"^https:\/\/id.gs1.org\/01\/\d{14}", uri) is None:
        for pattern, padded in _GTIN_PADDING:
            if match(pattern, uri) is not None:
                uri = uri.replace("/01/", padded)
                break

    # remove cpv
    x = uri[(uri.find("/22/") + 4) :]

    # for 01/8006 only:
    if (
        match(
            r"https:\/\/id.gs1.org\/8006\/\d{18}\/22\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$",
            uri,
        )
        or match(
            r"https:\/\/id.gs1.org\/01\/\d{14}\/22\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$",
            uri,
        )
    ) is not None:
        uri = (uri[: (uri.find("/22/"))]) + (x[x.find("/") : -1])

    # for 01/8006 followed by other key qualifiers:
    if (
        match(
            r"https:\/\/id.gs1.org\/8006\/\d{18}\/22\/([\x2F\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$",
            uri,
        )
        or match(
            r"https:\/\/id.gs1.org\/01\/\d{14}\/22\/([\x2F\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$",
            uri,
        )
    ) is not None:
        uri = (uri[: (uri.find("/22/"))]) + (x[x.find("/") :])

    # take only lowest ID granularity level (i.e. if serial is present, omit lot)
    if (
        match(
            r"https:\/\/id.gs1.org\/8006\/\d{18}\/10\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})\/21\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$",
            uri,
        )
        or match(
            r"https:\/\/id.gs1.org\/01\/(\d{14})\/10\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})\/21\/([\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20})$",
            uri,
        )
    ) is not None:
        y = uri[(uri.find("/10/") + 4) :]
        uri = (uri[: (uri.find("/10/"))]) + (y[y.find("/") :])

    # ensure that output has a valid syntax
    for pattern in _VALID:
        if match(pattern, uri) is not None:
            return uri
    return None
