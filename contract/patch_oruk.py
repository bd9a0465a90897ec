#!/usr/bin/env python3
"""Write contract/oruk-openapi.json: the Open Referral UK 3.0 OpenAPI document with its known
defects patched, so Schemathesis can check Village's /oruk/ API against it. Standard library
only. Run from anywhere: `python3 contract/patch_oruk.py` (it reads ../shared/standards).

The patches, each because the published document cannot be used as it is:

1. Its schemas are `$ref`s to raw.githubusercontent.com: they are read from the standard's own
   schema files (copied in ../shared/standards) and placed under components.schemas, and the
   taxonomy schema's file reference to taxonomy_term.json points there too.
2. `start_time` and `end_time` are declared `"type": "time"`, which is not a JSON Schema type:
   they are strings, `HH:MM`.
3. The parameters every list reads are not all declared: `/services` takes `postcode` and
   `proximity` as `/service_at_locations` does.
4. No operation lists an error answer: a parameter the server cannot read is a 400 and an id
   that is not there is a 404, both with Village's error body (the profile does not say what
   an error looks like).
5. `GET /service_at_locations/{id}` is declared to answer a whole service: it answers one
   service at a location, as the standard's compiled service_at_location schema describes.
"""

import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STANDARD = os.path.join(HERE, "..", "..", "shared", "standards", "oruk-3.0", "schema")
REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
OUT = os.path.join(HERE, "oruk-openapi.json")

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"]},
            },
        }
    },
}


def component_name(path):
    return path.replace("compiled/", "").replace(".json", "")


def patched():
    with open(os.path.join(STANDARD, "openapi.json")) as f:
        doc = json.load(f)
    schemas = doc["components"]["schemas"]

    # 1. Remote schemas become components.
    def local(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(REMOTE):
                path = ref[len(REMOTE):]
                name = component_name(path)
                if name not in schemas:
                    with open(os.path.join(STANDARD, path)) as f:
                        schemas[name] = {}
                        schemas[name] = local(json.load(f))
                node = dict(node, **{"$ref": "#/components/schemas/" + name})
            elif ref == "taxonomy_term.json":
                return local({"$ref": REMOTE + "taxonomy_term.json"})
            return {k: local(v) for k, v in node.items()}
        if isinstance(node, list):
            return [local(v) for v in node]
        return node

    doc["paths"] = local(doc["paths"])

    # 2. Times are strings.
    for name in ("start_time", "end_time"):
        doc["components"]["parameters"][name]["schema"] = {
            "type": "string", "pattern": "^[0-2]?[0-9]:[0-5][0-9](:[0-5][0-9])?$"}

    # 3. Every list of services reads the place.
    services = doc["paths"]["/services"]["get"]["parameters"]
    for name in ("postcode", "proximity"):
        ref = {"$ref": "#/components/parameters/" + name}
        if ref not in services:
            services.append(ref)

    # 4. Error answers.
    schemas["Error"] = ERROR
    answer = lambda words: {"description": words, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}
    for path, item in doc["paths"].items():
        op = item["get"]
        if op.get("parameters"):
            op["responses"]["400"] = answer(
                "A parameter cannot be read (`invalid_parameter`, naming it in `field`).")
        if "{id}" in path:
            op["responses"]["404"] = answer("Nothing has that id (`not_found`).")

    # 5. One service at one location.
    op = doc["paths"]["/service_at_locations/{id}"]["get"]
    op["responses"]["200"]["content"]["application/json"]["schema"] = local(
        {"$ref": REMOTE + "compiled/service_at_location.json"})
    return doc


def main():
    text = json.dumps(patched(), indent=1, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        with open(OUT) as f:
            if f.read() != text:
                sys.exit("contract/oruk-openapi.json is not what patch_oruk.py writes: run it again")
        return
    with open(OUT, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
