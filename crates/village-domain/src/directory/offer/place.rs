//! Where an offer happens: its first place, as the change form reads and replaces it.

use super::*;

/// Where an offer happens, as typed: the name of the place, its address and postcode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceLine {
    pub venue: String,
    pub address: String,
    pub postcode: String,
}

/// The first place a record gives, for the change form (other places are kept as they are).
pub fn place_line(record: &Value) -> PlaceLine {
    let location = record
        .get("service_at_locations")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
        .and_then(|s| s.get("location"));
    let address = location
        .and_then(|l| l.get("addresses"))
        .and_then(Value::as_array)
        .and_then(|a| a.first());
    let text = |v: Option<&Value>, key: &str| {
        v.and_then(|v| v.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    PlaceLine {
        venue: text(location, "name"),
        address: text(address, "address_1"),
        postcode: text(address, "postal_code"),
    }
}

/// Whether two postcodes as written are the same place ("mf11aa" and "MF1 1AA" are).
pub(super) fn same_postcode(a: &str, b: &str) -> bool {
    match (Postcode::parse(a), Postcode::parse(b)) {
        (Ok(x), Ok(y)) => x.to_string() == y.to_string(),
        _ => a.trim().eq_ignore_ascii_case(b.trim()),
    }
}

/// Put the typed place in place of the record's first one, keeping everything else about it
/// (its ids, other address lines, its times and any other places). A new postcode brings
/// `centre` as its coordinates (or none); an unchanged one keeps the coordinates it had.
pub(super) fn replace_place(
    record: &mut Map<String, Value>,
    venue: Option<&str>,
    address: Option<&str>,
    postcode: Option<&Postcode>,
    centre: Option<LatLon>,
    ids: &mut dyn Iterator<Item = String>,
) {
    let mut places: Vec<Value> = record
        .get("service_at_locations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if venue.is_none() && address.is_none() && postcode.is_none() {
        if !places.is_empty() {
            // Times kept with the place stay, as the offer's own.
            let gone = places.remove(0);
            if let Some(times) = gone.get("schedules").and_then(Value::as_array) {
                if !times.is_empty() {
                    let mut all: Vec<Value> = record
                        .get("schedules")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    all.extend(times.iter().cloned());
                    record.insert("schedules".into(), Value::Array(all));
                }
            }
        }
    } else {
        if places.is_empty() {
            places.push(json!({
                "id": ids.next().unwrap_or_default(),
                "location": {"id": ids.next().unwrap_or_default(), "location_type": "physical"},
            }));
        }
        let before = place_line(&json!({"service_at_locations": [places[0].clone()]}));
        let sal = &mut places[0];
        if !sal.get("location").is_some_and(Value::is_object) {
            sal["location"] =
                json!({"id": ids.next().unwrap_or_default(), "location_type": "physical"});
        }
        let location = &mut sal["location"];
        match venue {
            Some(v) => location["name"] = json!(v),
            None => {
                if let Some(l) = location.as_object_mut() {
                    l.remove("name");
                }
            }
        }
        let typed = postcode.map(ToString::to_string).unwrap_or_default();
        let moved = !same_postcode(&typed, &before.postcode);
        if moved {
            if let Some(l) = location.as_object_mut() {
                l.remove("latitude");
                l.remove("longitude");
            }
            if let Some(p) = centre.filter(|_| postcode.is_some()) {
                location["latitude"] = json!(p.lat());
                location["longitude"] = json!(p.lon());
            }
        }
        if address.is_some() || postcode.is_some() {
            let has_address = location
                .get("addresses")
                .and_then(Value::as_array)
                .is_some_and(|a| a.first().is_some_and(Value::is_object));
            if !has_address {
                location["addresses"] = json!([{
                    "id": ids.next().unwrap_or_default(),
                    "address_1": "",
                    "city": "",
                    "state_province": "",
                    "postal_code": "",
                    "country": "GB",
                    "address_type": "physical",
                }]);
            }
            let first = &mut location["addresses"][0];
            first["address_1"] = json!(address.unwrap_or_default());
            first["postal_code"] = json!(typed);
        } else if let Some(l) = location.as_object_mut() {
            l.remove("addresses");
        }
    }
    if places.is_empty() {
        record.remove("service_at_locations");
    } else {
        record.insert("service_at_locations".into(), Value::Array(places));
    }
}
