// The map beside directory results. It is drawn only when JavaScript and Leaflet are there:
// the list of results works without it and holds everything the map shows. Each marker is
// named after its offer, and its popup links to the offer. Map pictures come from the tile
// server the hub names (`map.tiles`); with none, the places are drawn on a plain background.
(function () {
  'use strict';
  var panel = document.getElementById('map-panel');
  if (!panel || !window.L) {
    return;
  }
  var items = Array.prototype.slice.call(document.querySelectorAll('.results .result[data-lat]'));
  if (!items.length) {
    return;
  }
  panel.hidden = false;
  var details = panel.querySelector('details');
  var drawn = false;

  function attribution() {
    var who = panel.getAttribute('data-attribution') || '';
    var url = panel.getAttribute('data-attribution-url') || '';
    var text = document.createElement('span');
    if (url) {
      var a = document.createElement('a');
      a.href = url;
      a.textContent = who;
      text.appendChild(a);
    } else {
      text.textContent = who;
    }
    return text.innerHTML;
  }

  function draw() {
    if (drawn) {
      return;
    }
    drawn = true;
    var map = L.map('map', { scrollWheelZoom: false });
    var tiles = panel.getAttribute('data-tiles');
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: attribution() }).addTo(map);
    }
    // One marker for each place: offers at the same place share it, and its popup links
    // to each of them.
    var places = {};
    var order = [];
    items.forEach(function (li) {
      var lat = parseFloat(li.getAttribute('data-lat'));
      var lon = parseFloat(li.getAttribute('data-lon'));
      var link = li.querySelector('h3 a');
      if (!link || isNaN(lat) || isNaN(lon)) {
        return;
      }
      var key = lat.toFixed(5) + ',' + lon.toFixed(5);
      if (!places[key]) {
        places[key] = { at: [lat, lon], links: [] };
        order.push(key);
      }
      places[key].links.push(link);
    });
    var markers = L.layerGroup().addTo(map);
    // Places closer on screen than a marker is wide share one marker at this zoom, so no
    // marker hides another (each stays a target big enough to touch); zooming in splits them.
    function lay() {
      markers.clearLayers();
      var groups = [];
      order.forEach(function (key) {
        var place = places[key];
        var at = map.latLngToContainerPoint(place.at);
        var near = groups.find(function (g) { return g.at.distanceTo(at) < 50; });
        if (near) {
          near.links = near.links.concat(place.links);
        } else {
          groups.push({ at: at, latlng: place.at, links: place.links.slice() });
        }
      });
      groups.forEach(function (g) {
        var names = g.links.map(function (l) { return l.textContent; });
        var label = names.length === 1 ? names[0] : names.length + ' offers: ' + names.join(', ');
        var marker = L.marker(g.latlng, { title: label, alt: label, keyboard: true });
        var list = document.createElement('ul');
        list.className = 'map-offers';
        g.links.forEach(function (l) {
          var item = document.createElement('li');
          var go = document.createElement('a');
          go.href = l.getAttribute('href');
          go.textContent = l.textContent;
          item.appendChild(go);
          list.appendChild(item);
        });
        marker.bindPopup(list);
        markers.addLayer(marker);
      });
    }
    var points = order.map(function (key) { return places[key].at; });
    map.on('zoomend', lay);
    map.fitBounds(points, { padding: [30, 30], maxZoom: 15 });
    lay();
  }

  details.addEventListener('toggle', function () {
    if (details.open) {
      draw();
    }
  });
  if (details.open) {
    draw();
  }
})();
