"""Schemathesis hooks for Village (loaded by contract/run.py through SCHEMATHESIS_HOOKS).

One check beyond Schemathesis's own: a request that fits the document is never refused for
the shape of what it sends. When Schemathesis sends data it made to fit the schema, a 422
must carry one of the codes below: refusals that depend on what the hub holds or on another
field of the same request, which no JSON schema can say. Any other 422 means the document
leaves out a limit the server checks (`village_web::openapi::limits` is where limits go).
"""

import schemathesis

# Refusals no schema can say, each with why: by code, or by (code, field) where the same code
# on another field would be a limit the document should say.
HUB_IDS = "an id or address must name something this hub holds"
DEPENDS_ON_THE_HUB = {
    "person_unknown": HUB_IDS,
    "member_unknown": HUB_IDS,
    "offer_unknown": HUB_IDS,
    "group_unknown": HUB_IDS,
    "not_a_connector": HUB_IDS,
    "unknown_space": HUB_IDS,
    "no_such_member": HUB_IDS,
    "term_unknown": HUB_IDS,
    "unknown_bid": HUB_IDS,
    "match_unknown": "a help match the caller is one of the two in, or may see as a coordinator",
    "member_is_you": "the member named must be someone other than the caller",
    "password_wrong": "the person's own password",
    "current_password_wrong": "the person's own password",
    "over_the_limit": "each funding round sets its own most a bid may ask",
    "date_in_future": "today moves on",
    "birth_year_invalid": "the last 120 years, which move on",
    "decision_finished": "the proposal's state",
    "not_a_block": "a block is a stance someone took on this proposal",
    "nothing_answered": "at least one of several fields",
    "about_missing": "a name is needed when neither id is given",
    "time_order": "the end after the start, two fields",
    "before_opening": "the end after the start, two fields",
    "reason_needed": "some steps of an introduction need a reason, others not",
    ("reason_missing", "reason"): "one body approves (no reason needed) and rejects (a reason needed)",
    ("text_missing", "reason"): "a block, or a bid found not eligible, needs a reason; other answers not",
    ("text_missing", "dissent_summary"): "needed only when someone disagreed",
    ("invalid_amount", "max_bid_pence"): "no more than the pot, another field",
    "record_invalid": "a new offer is a whole ORUK record, checked against the standard's schema",
    "contact_too_soon": "what the words say (an email address, phone number or street address in them)",
    ("date_invalid", "when"): "today moves on: a day must not have passed, and a range keeps within three months",
    ("postcode_invalid", "area"): "the hub's own areas, by name, beside any postcode district",
    ("missing", "share_phone"): "only a member with a phone number on their account can share one",
    ("too_long", "body"): "a story holds about 1,000 words, counted in words (its characters are in the document)",
    ("text_missing", "body"): "a steward's edit needs the story as they suggest it; other decisions do not",
    ("invalid", "body"): "an edit must change something, against the story as it is",
    ("missing", "rule_codes"): "an edit says why, other decisions do not",
    ("invalid", "decision"): "changed words need the decision 'edit', against the story as it is",
    ("invalid", "themes"): "a story's themes are the hub's own, from its settings",
    ("date_invalid", "starts_at"): "today moves on: a gathering starts no earlier than yesterday",
    ("too_long", "ends_at"): "a gathering lasts up to four days from its start, another field",
    ("missing", "address"): "a gathering is somewhere: a venue or address, or a joining link (any of three fields)",
    ("invalid_count", "reserved_places"): "places kept fit in the places, another field",
    ("date_invalid", "repeat_until"): "a series' last day is after its first time and within a year, another field",
    ("date_invalid", "skip"): "a day off is one of the series' own days, from three other fields",
    ("invalid", "skip"): "a series keeps at least one of its days",
    ("invalid", "repeats"): "open space happens once, another field",
    ("invalid", "room"): "an open space's rooms are the ones its organisers named",
    ("invalid", "starts_at"): "a session starts at one of the gathering's own times",
    ("date_invalid", "expires_on"): "a safety check holds at most five years from the day it was seen, another field",
}


@schemathesis.check
def limits_in_the_document(ctx, response, case):
    meta = getattr(case, "meta", None)
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    try:
        error = response.json()["error"]
    except Exception:  # noqa: BLE001 - any other shape is a failure of its own
        raise AssertionError("a 422 without the hub's error body")
    code, field = error.get("code"), error.get("field") or ""
    if code in DEPENDS_ON_THE_HUB or (code, field) in DEPENDS_ON_THE_HUB:
        return None
    if code == "text_invalid" and field.startswith("record."):
        return None  # a new offer's record is any ORUK record: its schema is the standard's
    raise AssertionError(
        "Data that fits the document was refused: the document leaves out a limit the server "
        f"checks ({error.get('code')} on {error.get('field')!r}: {error.get('message')})")
