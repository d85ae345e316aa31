"""The Neo4j URI from NEO4J_URI: checked before the driver sees it, and masked wherever shown.

A URI may carry credentials (`bolt://user:password@host`). Everything that prints a URI (CLI
messages, errors, the dashboard's sidebar, `describe()`, logs) goes through `mask_uri`, so a
password never appears, even in the message that refuses such a URI. Credentials belong in
NEO4J_USER and NEO4J_PASSWORD.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .errors import SettingError

URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
ROUTING_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
HINT = "use bolt://HOST:PORT or neo4j://HOST:PORT in NEO4J_URI"


def mask_uri(uri: str) -> str:
    """The URI with any user:password part replaced by ***, safe to show anywhere."""
    # Everything from the scheme to the last '@' is treated as userinfo: a password may itself
    # contain '@', ':' or '/', and masking too much is harmless. Control characters are shown
    # as '?', never echoed.
    masked = uri
    if "@" in uri:
        head, sep, _ = uri.partition("://")
        start = len(head) + 3 if sep else uri.find(":") + 1
        masked = uri[:start] + "***" + uri[uri.rindex("@"):]
    return _CONTROL.sub("?", masked)


def check_uri(uri: str) -> str:
    """The URI if the driver can use it as given; else a SettingError naming the problem.

    Only the masked URI is ever put into the message.
    """
    shown = mask_uri(uri)

    def bad(why: str) -> SettingError:
        return SettingError(f"NEO4J_URI '{shown}' is not a valid Neo4j URI: {why} ({HINT})")

    if not uri.strip():
        raise bad("it is empty")
    if _CONTROL.search(uri) or uri != uri.strip():
        raise bad("it contains spaces or control characters")
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as exc:
        raise bad(_port_reason(str(exc))) from None
    scheme = parts.scheme.lower()
    if "://" not in uri or scheme not in URI_SCHEMES:
        raise bad(f"the scheme must be one of {', '.join(s + '://' for s in URI_SCHEMES)}")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise bad("it contains a user name or password; put them in NEO4J_USER and "
                  "NEO4J_PASSWORD instead")
    if not parts.hostname:
        raise bad("the host is missing")
    if port == 0:
        raise bad("the port must be between 1 and 65535")
    if parts.path not in ("", "/") or parts.fragment:
        raise bad("it has a path or fragment after the host and port")
    if parts.query and scheme not in ROUTING_SCHEMES:
        raise bad("only neo4j:// URIs may have a ?routing context")
    return uri


def _port_reason(message: str) -> str:
    if "out of range" in message:
        return "the port must be between 1 and 65535"
    if "Port could not be cast" in message:
        return "the port is not a number"
    if "IPv6" in message:
        return "the IPv6 address is not closed with ]"
    return "it cannot be parsed"
