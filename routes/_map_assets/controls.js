/*
 * routes: the corridor map's layers and controls (legend, year switch, route
 * switch, gaps only, partnership picker, country search, full screen).
 *
 * Every string from the data reaches the page through textContent or DOM
 * properties, never through innerHTML; links are made only for http(s) URLs.
 * The page reads its data from a JSON script block (type application/json).
 * Part of the routes package (MIT); needs Leaflet 1.9.
 */
(function () {
  "use strict";

  // Tiers from the weakest to the strongest, then internal segments (neither covered nor gaps).
  var TIER_ORDER = ["none", "forum", "political", "operational", "binding"];
  var LEGEND_ORDER = ["none", "forum", "political", "operational", "binding", "internal"];
  var DRAW_ORDER = { internal: 0, binding: 1, operational: 2, political: 3, forum: 4, none: 5 };
  var MEANING = {
    binding: "a legally binding agreement joins the two countries",
    operational: "an operational instrument (MoU, partnership, compact…)",
    political: "a political declaration or statement",
    forum: "only a regional dialogue both take part in",
    none: "no instrument joins the two countries",
    internal: "both EU members: internal, neither covered nor a gap",
  };
  var HALO = 7;
  var W_MIN = 2;
  var W_MAX = 12;
  var W_UNKNOWN = 2.5;
  var DASH_UNKNOWN = "7 6";
  var R_MIN = 4;
  var R_MAX = 16;
  var LIST_LIMIT = 6;
  var SVG_NS = "http://www.w3.org/2000/svg";
  var NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

  // -- DOM helpers: text only ------------------------------------------------------------

  function h(tag, props, children) {
    var node = document.createElement(tag);
    var key;
    for (key in props || {}) {
      if (!Object.prototype.hasOwnProperty.call(props, key)) continue;
      var value = props[key];
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = String(value);
      else if (key === "className") node.className = value;
      else if (typeof value === "function") node.addEventListener(key, value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, String(attrs[key]));
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function safeUrl(value) {
    if (typeof value !== "string") return null;
    var text = value.trim();
    if (!/^https?:\/\//i.test(text)) return null;
    try {
      var url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function sourceNode(value) {
    var url = safeUrl(value);
    if (url) return h("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: value });
    return h("span", { className: "routes-citation", text: value });
  }

  function shortList(items) {
    if (items.length <= LIST_LIMIT) return items.join("; ");
    return items.slice(0, LIST_LIMIT).join("; ") + "; and " + (items.length - LIST_LIMIT) + " more";
  }

  function fmt(value) {
    return value === null || value === undefined ? "unknown" : NUMBER.format(value);
  }

  function stop(node) {
    L.DomEvent.disableClickPropagation(node);
    L.DomEvent.disableScrollPropagation(node);
    return node;
  }

  // -- the data: partnership ids and sources are written once, in tables -----------------

  function expand(data) {
    var pids = data.tables.partnerships;
    var texts = data.tables.sources;
    function ids(list) {
      return list.map(function (i) {
        return pids[i];
      });
    }
    data.segments.features.forEach(function (feature) {
      feature.properties.y.forEach(function (r) {
        if (!r) return;
        r.joins = ids(r.joins);
        r.sources = r.sources.map(function (i) {
          return texts[i];
        });
      });
    });
    data.nodes.features.forEach(function (feature) {
      feature.properties.y.forEach(function (r) {
        if (r) r.partnerships = ids(r.partnerships);
      });
    });
    data.years.forEach(function (info) {
      info.partnerships = ids(info.partnerships);
    });
    [data.shapes, data.segments].forEach(function (collection) {
      ((collection && collection.features) || []).forEach(function (feature) {
        var g = feature.geometry;
        g.coordinates = decode(g.coordinates, NESTING[g.type]);
      });
    });
    return data;
  }

  // Lines travel as integers: the first point, then differences, in thousandths of a degree.
  var NESTING = { LineString: 0, Polygon: 1, MultiPolygon: 2 };
  function decode(flat, nesting) {
    if (nesting) {
      return flat.map(function (part) {
        return decode(part, nesting - 1);
      });
    }
    var out = [];
    var x = 0;
    var y = 0;
    for (var i = 0; i < flat.length; i += 2) {
      x += flat[i];
      y += flat[i + 1];
      out.push([x / 1000, y / 1000]);
    }
    return out;
  }

  // -- the map ---------------------------------------------------------------------------

  function routesCorridorMap(map, dataId) {
    var data = expand(JSON.parse(document.getElementById(dataId).textContent));
    var container = map.getContainer();
    var colors = data.colors;
    var state = { yi: data.start, gapsOnly: false, picked: "", routes: {} };
    // "#static" in the address (static images): controls folded, nothing to click.
    var staticView = /(^#|[#&])static(&|$)/.test(window.location.hash);
    data.routes.forEach(function (route) {
      state.routes[route] = true;
    });
    container.classList.add("routes-map");
    if (staticView) container.classList.add("routes-static");
    if (!data.tiles) container.classList.add("routes-no-tiles");

    function name(code) {
      return Object.prototype.hasOwnProperty.call(data.names, code) ? data.names[code] : code;
    }
    function partnership(pid) {
      return data.partnerships[pid] || { name: pid, kind: "", parties: [], themes: [], uncertain: [] };
    }
    function pname(pid) {
      return partnership(pid).name;
    }
    function yearInfo() {
      return data.years[state.yi];
    }
    function yearText() {
      var year = yearInfo().year;
      return year === null || year === undefined ? "(no year)" : String(year);
    }

    function pane(paneName, z, interactive) {
      var node = map.createPane(paneName);
      node.style.zIndex = String(z);
      if (!interactive) node.style.pointerEvents = "none";
      return paneName;
    }
    pane("routesShapes", 250, false);
    pane("routesHalos", 405, false);
    pane("routesArcs", 410, true);
    pane("routesArrows", 415, false);
    pane("routesNodes", 420, true);

    // -- base layer: country shapes ----------------------------------------------------
    if (data.shapes) {
      L.geoJSON(data.shapes, {
        pane: "routesShapes",
        interactive: false,
        attribution: "Country shapes: Natural Earth",
        style: function (feature) {
          var onRoute = feature.properties.r === 1;
          if (data.tiles) {
            return {
              color: "#666",
              weight: onRoute ? 1 : 0.4,
              fillColor: "#8a7f63",
              fillOpacity: onRoute ? 0.18 : 0,
            };
          }
          return {
            color: onRoute ? "#9a927e" : "#ffffff",
            weight: onRoute ? 0.8 : 0.6,
            fillColor: onRoute ? "#d9d1bd" : "#f3f2ee",
            fillOpacity: 1,
          };
        },
      }).addTo(map);
    }

    // -- segments: one GeoJSON layer of arcs, and their arrowheads -------------------------
    var arcs = [];
    var arrowLayer = L.layerGroup();
    var haloLayer = L.layerGroup();
    var segLayer = L.geoJSON(data.segments, {
      pane: "routesArcs",
      className: "routes-arc",
      onEachFeature: function (feature, layer) {
        var arc = { layer: layer, p: feature.properties, visible: true };
        arc.halo = L.polyline(layer.getLatLngs(), {
          pane: "routesHalos",
          className: "routes-halo",
          interactive: false,
          color: colors.none,
          opacity: 0.28,
          lineCap: "round",
        });
        arc.arrow = L.polygon([], {
          pane: "routesArrows",
          className: "routes-arrow",
          interactive: false,
          color: "#ffffff",
          weight: 1,
          opacity: 0.9,
          fillOpacity: 1,
        });
        arcs.push(arc);
        layer.bindTooltip(
          function () {
            return segmentTip(arc);
          },
          { sticky: true, className: "routes-tip" }
        );
        layer.bindPopup(
          function () {
            return segmentPopup(arc);
          },
          { minWidth: 260, maxWidth: 380, className: "routes-popup" }
        );
        layer.on("add", function () {
          tagArc(arc);
        });
        layer.on("popupopen", function () {
          layer.closeTooltip();
        });
      },
    });

    function record(arc) {
      return arc.p.y[state.yi];
    }

    function width(rec) {
      if (rec.flow === null || rec.flow === undefined) return W_UNKNOWN;
      if (!data.flow_max) return W_MIN;
      return W_MIN + (W_MAX - W_MIN) * Math.sqrt(Math.max(rec.flow, 0) / data.flow_max);
    }

    function pickedRole(rec) {
      if (!state.picked) return "";
      return rec.joins.indexOf(state.picked) >= 0 ? "joins" : "other";
    }

    function arcStyle(rec) {
      var unknown = rec.flow === null || rec.flow === undefined;
      var opacity = rec.gap ? 1 : rec.tier === "internal" ? 0.6 : 0.8;
      var role = pickedRole(rec);
      if (role === "joins") opacity = 1;
      else if (role === "other") opacity = 0.12;
      return {
        color: colors[rec.tier],
        weight: width(rec) + (role === "joins" ? 2 : 0),
        opacity: opacity,
        dashArray: unknown ? DASH_UNKNOWN : null,
        lineCap: unknown ? "butt" : "round",
      };
    }

    function tagArc(arc) {
      var node = arc.layer.getElement && arc.layer.getElement();
      var rec = record(arc);
      if (!node || !rec) return;
      node.setAttribute("data-id", arc.p.id);
      node.setAttribute("data-tier", rec.tier);
      node.setAttribute("data-gap", rec.gap ? "1" : "0");
      node.setAttribute("data-flow", rec.flow === null ? "unknown" : "known");
      var role = pickedRole(rec);
      if (role) node.setAttribute("data-picked", role);
      else node.removeAttribute("data-picked");
    }

    function drawRank(arc) {
      var rec = record(arc);
      var role = pickedRole(rec);
      return (role === "joins" ? 100 : 0) + (rec.gap ? 10 : 0) + DRAW_ORDER[rec.tier];
    }

    function placeArrows() {
      arcs.forEach(function (arc) {
        if (!arc.visible) return;
        var rec = record(arc);
        var pts = arc.layer.getLatLngs().map(function (ll) {
          return map.latLngToLayerPoint(ll);
        });
        var lengths = [];
        var total = 0;
        for (var i = 1; i < pts.length; i++) {
          lengths.push(pts[i].distanceTo(pts[i - 1]));
          total += lengths[i - 1];
        }
        if (total < 1) {
          arc.arrow.setLatLngs([]);
          return;
        }
        var along = total * 0.6;
        var k = 0;
        while (k < lengths.length - 1 && along > lengths[k]) {
          along -= lengths[k];
          k++;
        }
        var a = pts[k];
        var b = pts[k + 1];
        var seg = lengths[k] || 1;
        var ux = (b.x - a.x) / seg;
        var uy = (b.y - a.y) / seg;
        var mx = a.x + ux * along;
        var my = a.y + uy * along;
        var half = 3.5 + width(rec) * 0.8;
        var len = 2.2 * half;
        var tip = L.point(mx + (ux * len) / 2, my + (uy * len) / 2);
        var bx = mx - (ux * len) / 2;
        var by = my - (uy * len) / 2;
        var left = L.point(bx - uy * half, by + ux * half);
        var right = L.point(bx + uy * half, by - ux * half);
        arc.arrow.setLatLngs(
          [tip, left, right].map(function (p) {
            return map.layerPointToLatLng(p);
          })
        );
      });
    }

    // -- countries: circle markers sized by known through flow ------------------------------
    var nodes = [];
    var nodeLayer = L.geoJSON(data.nodes, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { pane: "routesNodes", className: "routes-node", radius: R_MIN });
      },
      onEachFeature: function (feature, layer) {
        var node = { layer: layer, p: feature.properties };
        nodes.push(node);
        layer.bindTooltip(
          function () {
            return nodeTip(node);
          },
          { className: "routes-tip", direction: "top" }
        );
        layer.bindPopup(
          function () {
            return nodePopup(node);
          },
          { minWidth: 260, maxWidth: 380, className: "routes-popup" }
        );
        layer.on("add", function () {
          tagNode(node);
        });
        layer.on("popupopen", function () {
          layer.closeTooltip();
        });
      },
    });

    function nodeRecord(node) {
      return node.p.y[state.yi];
    }

    function nodeStyle(node) {
      var rec = nodeRecord(node);
      var through = rec ? rec.through : null;
      var party = !!(state.picked && rec && rec.partnerships.indexOf(state.picked) >= 0);
      var known = through !== null && through !== undefined;
      var radius = known && data.through_max ? R_MIN + (R_MAX - R_MIN) * Math.sqrt(through / data.through_max) : R_MIN;
      return {
        radius: radius,
        color: party ? "#000000" : known ? "#ffffff" : "#3d3d3d",
        weight: party ? 3 : 1.5,
        fillColor: known ? "#3d3d3d" : "#ffffff",
        fillOpacity: known ? 0.85 : 1,
        opacity: rec ? 1 : 0.3,
      };
    }

    function tagNode(node) {
      var el = node.layer.getElement && node.layer.getElement();
      if (!el) return;
      el.setAttribute("data-code", node.p.code);
    }

    // -- tooltips and popups (DOM, text only) ----------------------------------------------
    function line(label, value) {
      return h("div", { className: "routes-line" }, [h("span", { className: "routes-label", text: label + ": " }), value]);
    }

    function flowText(rec) {
      if (rec.flow === null || rec.flow === undefined) return "unknown";
      var text = fmt(rec.flow);
      if (rec.measure) text += " (" + rec.measure + ")";
      if (rec.status && rec.status !== "ok") text += " — figure " + rec.status;
      return text;
    }

    function tierText(rec) {
      return rec.tier + " — " + MEANING[rec.tier];
    }

    function swatch(tier) {
      return h("span", { className: "routes-swatch", style: "background:" + colors[tier] });
    }

    function gapText(rec) {
      var what = rec.tier === "none" ? "nothing joins the two countries" : rec.tier + " only";
      return "Gap: " + what + " (below " + data.selection.min_tier + ")";
    }

    function joinedNames(rec) {
      return rec.joins.map(function (pid) {
        return pname(pid) + " (" + partnership(pid).tier + ")";
      });
    }

    function segmentHead(arc) {
      return h("div", { className: "routes-tip-title", text: name(arc.p.origin) + " → " + name(arc.p.destination) });
    }

    function segmentTip(arc) {
      var rec = record(arc);
      var box = h("div", { className: "routes-tipbox" }, [
        segmentHead(arc),
        line(arc.p.routes.length > 1 ? "Routes" : "Route", arc.p.routes.join(", ")),
      ]);
      if (!rec) return append(box, [h("div", { text: "Not a segment in " + yearText() })]);
      append(box, [
        line("Flow " + yearText(), flowText(rec)),
        line("Tier", h("span", {}, [swatch(rec.tier), tierText(rec)])),
        rec.joins.length ? line("Joined by", shortList(joinedNames(rec))) : null,
        rec.gap ? h("div", { className: "routes-gapflag", text: gapText(rec) }) : null,
        h("div", { className: "routes-hint", text: "Click for instruments and sources" }),
      ]);
      return box;
    }

    function datesText(p) {
      var parts = ["signed " + p.signed];
      if (p.in_force) parts.push("in force " + p.in_force);
      if (p.ended) parts.push("ended " + p.ended);
      (p.suspended || []).forEach(function (period) {
        parts.push("suspended " + period[0] + (period[1] ? " to " + period[1] : ""));
      });
      return parts.join(" · ");
    }

    function partnershipBlock(pid) {
      var p = partnership(pid);
      var binding = p.binding === true ? "yes" : p.binding === false ? "no" : "unknown";
      return h("li", { className: "routes-partnership" }, [
        h("div", { className: "routes-p-name", text: p.name }),
        h("div", { text: [p.kind, p.tier, datesText(p)].join(" · ") }),
        h("div", { text: "Parties: " + (p.parties || []).map(name).join(", ") }),
        p.participants && p.participants.length
          ? h("div", { text: "Taking part: " + p.participants.map(name).join(", ") })
          : null,
        h("div", { text: "Themes: " + (p.themes || []).join(", ") }),
        h("div", { text: "Legally binding: " + binding }),
        p.uncertain && p.uncertain.length ? h("div", { text: "Not settled by a source: " + p.uncertain.join(", ") }) : null,
        p.notes ? h("div", { className: "routes-note", text: p.notes }) : null,
        h(
          "div",
          {},
          ["Sources: "].concat(
            (p.sources || []).map(function (s, i) {
              return h("span", {}, [i ? " · " : "", sourceNode(s)]);
            })
          )
        ),
      ]);
    }

    function section(title, items) {
      if (!items.length) return null;
      return h("div", { className: "routes-section" }, [
        h("div", { className: "routes-section-title", text: title }),
        h("ul", { className: "routes-list" }, items),
      ]);
    }

    function segmentPopup(arc) {
      var rec = record(arc);
      var box = h("div", { className: "routes-popupbox" }, [segmentHead(arc)]);
      if (!rec) return append(box, [h("div", { text: "Not a segment in " + yearText() })]);
      var byRoute = Object.keys(rec.flow_by_route).map(function (route) {
        return h("li", { text: route + ": " + fmt(rec.flow_by_route[route]) });
      });
      append(box, [
        line("Flow " + yearText(), flowText(rec)),
        arc.p.routes.length > 1 ? section("Flow by route", byRoute) : line("Route", arc.p.routes.join(", ")),
        line("Tier", h("span", {}, [swatch(rec.tier), tierText(rec)])),
        rec.gap ? h("div", { className: "routes-gapflag", text: gapText(rec) }) : null,
        section("Instruments joining the two countries", rec.joins.map(partnershipBlock)),
        section(
          "Sources of the segment",
          rec.sources.map(function (s) {
            return h("li", {}, [sourceNode(s)]);
          })
        ),
        section(
          "Notes",
          rec.notes.map(function (n) {
            return h("li", { text: n });
          })
        ),
      ]);
      return box;
    }

    function nodeHead(node) {
      return h("div", { className: "routes-tip-title", text: name(node.p.code) + " (" + node.p.code + ")" });
    }

    function nodeTip(node) {
      var rec = nodeRecord(node);
      return h("div", { className: "routes-tipbox" }, [
        nodeHead(node),
        line("Known flow in + out " + yearText(), fmt(rec ? rec.through : null)),
        line("Instruments counted", String(rec ? rec.partnerships.length : 0)),
      ]);
    }

    function nodePopup(node) {
      var rec = nodeRecord(node);
      var ids = rec ? rec.partnerships : [];
      return h("div", { className: "routes-popupbox" }, [
        nodeHead(node),
        line("Known flow in + out " + yearText(), fmt(rec ? rec.through : null)),
        section("Instruments it takes part in (" + yearText() + ", counted)", ids.map(partnershipBlock)) ||
          h("div", { text: "No counted instrument in " + yearText() }),
      ]);
    }

    // -- refresh: what is drawn, and how, for the current year and choices -------------------
    var legendBox;
    var captionBox;
    var pickedInfo;
    var yearSelect;
    var prevButton;
    var nextButton;
    var pickerSelect;

    function refresh() {
      arcs.forEach(function (arc) {
        var rec = record(arc);
        var onRoute = arc.p.routes.some(function (route) {
          return state.routes[route];
        });
        var show = !!rec && onRoute && (!state.gapsOnly || rec.gap);
        arc.visible = show;
        var halo = show && rec.gap;
        if (halo && !haloLayer.hasLayer(arc.halo)) haloLayer.addLayer(arc.halo);
        if (!halo && haloLayer.hasLayer(arc.halo)) haloLayer.removeLayer(arc.halo);
        if (show) {
          if (!segLayer.hasLayer(arc.layer)) segLayer.addLayer(arc.layer);
          if (!arrowLayer.hasLayer(arc.arrow)) arrowLayer.addLayer(arc.arrow);
          var style = arcStyle(rec);
          arc.layer.setStyle(style);
          if (halo) arc.halo.setStyle({ weight: style.weight + HALO, opacity: style.opacity * 0.28 });
          arc.arrow.setStyle({ fillColor: style.color, fillOpacity: style.opacity, opacity: style.opacity * 0.9 });
          tagArc(arc);
        } else {
          if (segLayer.hasLayer(arc.layer)) segLayer.removeLayer(arc.layer);
          if (arrowLayer.hasLayer(arc.arrow)) arrowLayer.removeLayer(arc.arrow);
        }
      });
      var shown = arcs.filter(function (arc) {
        return arc.visible;
      });
      shown.sort(function (a, b) {
        return drawRank(a) - drawRank(b) || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0);
      });
      shown.forEach(function (arc) {
        arc.layer.bringToFront();
        arc.arrow.bringToFront();
      });
      placeArrows();
      nodes.forEach(function (node) {
        node.layer.setStyle(nodeStyle(node));
      });
      updateLegend();
      updateCaption();
      updatePanel();
      container.setAttribute("data-year", yearText());
    }

    function setYear(index) {
      if (index < 0 || index >= data.years.length || index === state.yi) return;
      state.yi = index;
      map.closePopup();
      refresh();
    }

    // -- legend ------------------------------------------------------------------------------
    function lineSample(color, w, dash) {
      var attrs = { x1: 2, y1: 9, x2: 34, y2: 9, stroke: color, "stroke-width": w, "stroke-linecap": dash ? "butt" : "round" };
      if (dash) attrs["stroke-dasharray"] = dash;
      return svg("svg", { width: 36, height: 18, viewBox: "0 0 36 18", "aria-hidden": "true" }, [svg("line", attrs)]);
    }

    function haloSample(color) {
      return svg("svg", { width: 36, height: 18, viewBox: "0 0 36 18", "aria-hidden": "true" }, [
        svg("line", { x1: 4, y1: 9, x2: 32, y2: 9, stroke: colors.none, "stroke-width": 12, "stroke-opacity": 0.28, "stroke-linecap": "round" }),
        svg("line", { x1: 4, y1: 9, x2: 32, y2: 9, stroke: color, "stroke-width": 5, "stroke-linecap": "round" }),
      ]);
    }

    function niceFlows() {
      var max = data.flow_max;
      if (!max) return [];
      var mag = Math.pow(10, Math.floor(Math.log10(max)));
      var top = Math.floor(max / mag) * mag;
      var out = [top, top / 10, top / 100].filter(function (v) {
        return v >= 1;
      });
      return out;
    }

    function updateLegend() {
      if (!legendBox) return;
      var counts = yearInfo().counts;
      clear(legendBox);
      append(legendBox, [h("div", { className: "routes-legend-title", text: "Depth of cooperation, " + yearText() })]);
      var minRank = TIER_ORDER.indexOf(data.selection.min_tier);
      LEGEND_ORDER.forEach(function (tier) {
        var gap = tier !== "internal" && TIER_ORDER.indexOf(tier) < minRank;
        append(legendBox, [
          h("div", { className: "routes-legend-row" }, [
            gap ? haloSample(colors[tier]) : lineSample(colors[tier], 5),
            h("span", { className: "routes-legend-label", text: tier + (gap ? " (gap)" : "") + ": " + MEANING[tier] }),
            h("span", { className: "routes-count", "data-tier": tier, text: String(counts[tier]) }),
          ]),
        ]);
      });
      append(legendBox, [
        h("div", { className: "routes-legend-gaps" }, [
          "Gaps (no instrument at " + data.selection.min_tier + " tier or above; red halo): ",
          h("strong", { className: "routes-count", "data-tier": "gap", text: String(counts.gaps) }),
          " of " + (counts.segments - counts.internal) + " segments, " + counts.internal + " internal",
        ]),
        h("div", { className: "routes-legend-title", text: "Width: flow, " + yearText() + " (√ scale)" }),
      ]);
      niceFlows().forEach(function (flow) {
        append(legendBox, [
          h("div", { className: "routes-legend-row" }, [
            lineSample("#555", width({ flow: flow })),
            h("span", { className: "routes-legend-label", text: fmt(flow) }),
          ]),
        ]);
      });
      append(legendBox, [
        h("div", { className: "routes-legend-row" }, [
          lineSample("#555", W_UNKNOWN, DASH_UNKNOWN),
          h("span", { className: "routes-legend-label", text: "flow unknown (dashed, fixed width)" }),
        ]),
        h("div", { className: "routes-legend-row" }, [
          svg("svg", { width: 36, height: 18, viewBox: "0 0 36 18", "aria-hidden": "true" }, [
            svg("polygon", { points: "26,9 12,2 12,16", fill: "#555" }),
          ]),
          h("span", { className: "routes-legend-label", text: "direction of travel; A→B and B→A bend apart" }),
        ]),
        h("div", { className: "routes-legend-row" }, [
          svg("svg", { width: 36, height: 18, viewBox: "0 0 36 18", "aria-hidden": "true" }, [
            svg("circle", { cx: 10, cy: 9, r: 7, fill: "#3d3d3d", stroke: "#fff" }),
            svg("circle", { cx: 28, cy: 9, r: 4, fill: "#fff", stroke: "#3d3d3d", "stroke-width": 1.5 }),
          ]),
          h("span", {
            className: "routes-legend-label",
            text: "country: size grows with √ of its known flow in + out; hollow: none known",
          }),
        ]),
      ]);
      if (state.picked) {
        append(legendBox, [
          h("div", { className: "routes-legend-picked", text: "Highlighted: segments joined by " + pname(state.picked) }),
        ]);
      }
    }

    // -- caption -----------------------------------------------------------------------------
    function updateCaption() {
      if (!captionBox) return;
      var info = yearInfo();
      var sel = data.selection;
      var filters = [];
      if (sel.themes && sel.themes.length) filters.push("themes " + sel.themes.join(", "));
      if (sel.kinds && sel.kinds.length) filters.push("kinds " + sel.kinds.join(", "));
      if (sel.exclude_kinds && sel.exclude_kinds.length) filters.push("not kinds " + sel.exclude_kinds.join(", "));
      if (sel.binding_only) filters.push("legally binding only");
      var lines = [
        "Year " + yearText() + " · as of " + info.as_of + " · a gap is a segment that no instrument at " + sel.min_tier +
          " tier or above joins; an EU instrument joins its partner with each member state, never two member states",
        "Instruments counted: " + (filters.length ? filters.join("; ") : "all") + " (" + info.partnerships.length + ")",
      ];
      if (sel.routes && sel.routes.length) lines.push("Routes: " + sel.routes.join(", "));
      var sources = info.sources.length ? shortList(info.sources) : "no flow figures this year";
      lines.push("Data: " + (data.dataset || "routes") + " — flows: " + sources + "; country shapes: Natural Earth");
      if (data.undrawn.length) {
        lines.push(
          "Not drawn (no position): " +
            shortList(
              data.undrawn.map(function (pair) {
                return name(pair[0]) + " → " + name(pair[1]);
              })
            )
        );
      }
      clear(captionBox);
      lines.forEach(function (text) {
        append(captionBox, [h("div", { text: text })]);
      });
    }

    // -- panel: year, gaps only, routes, partnership, country search -------------------------
    function updatePanel() {
      if (yearSelect) {
        yearSelect.value = String(state.yi);
        prevButton.disabled = state.yi === 0;
        nextButton.disabled = state.yi === data.years.length - 1;
      }
      if (pickerSelect) {
        var counted = yearInfo().partnerships;
        Array.prototype.forEach.call(pickerSelect.options, function (option) {
          if (!option.value) return;
          var p = partnership(option.value);
          option.textContent = p.name + (counted.indexOf(option.value) >= 0 ? "" : " (not counted in " + yearText() + ")");
        });
      }
      if (pickedInfo) {
        clear(pickedInfo);
        if (state.picked) {
          var joined = 0;
          arcs.forEach(function (arc) {
            var rec = record(arc);
            if (rec && rec.joins.indexOf(state.picked) >= 0) joined++;
          });
          var counted2 = yearInfo().partnerships.indexOf(state.picked) >= 0;
          append(pickedInfo, [
            counted2
              ? "Joins the two countries of " + joined + " segment(s) in " + yearText() + " (" + partnership(state.picked).tier + ")."
              : "Not counted in " + yearText() + " (not in force, suspended, or left out by the filters).",
          ]);
        }
      }
    }

    function findCountry(query) {
      var q = query.trim().toLowerCase();
      if (!q) return null;
      var exact = null;
      var prefix = null;
      nodes.forEach(function (node) {
        var code = node.p.code.toLowerCase();
        var label = name(node.p.code).toLowerCase();
        var full = label + " (" + code + ")";
        if (q === code || q === label || q === full) exact = exact || node;
        else if (label.indexOf(q) === 0 || full.indexOf(q) === 0) prefix = prefix || node;
      });
      return exact || prefix;
    }

    var Panel = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var box = stop(h("details", { className: "routes-panel", open: !staticView }));
        append(box, [h("summary", { text: "Map controls" })]);
        if (data.years.length > 1) {
          yearSelect = h(
            "select",
            {
              className: "routes-year",
              "aria-label": "Year",
              change: function () {
                setYear(Number(yearSelect.value));
              },
            },
            data.years.map(function (info, i) {
              return h("option", { value: String(i), text: String(info.year) });
            })
          );
          prevButton = h("button", { type: "button", className: "routes-prev", "aria-label": "Previous year", text: "◀", click: function () {
            setYear(state.yi - 1);
          } });
          nextButton = h("button", { type: "button", className: "routes-next", "aria-label": "Next year", text: "▶", click: function () {
            setYear(state.yi + 1);
          } });
          append(box, [h("div", { className: "routes-row" }, [h("span", { className: "routes-label", text: "Year " }), prevButton, yearSelect, nextButton])]);
        }
        var gaps = h("input", {
          type: "checkbox",
          className: "routes-gaps-only",
          change: function () {
            state.gapsOnly = gaps.checked;
            refresh();
          },
        });
        append(box, [h("label", { className: "routes-row" }, [gaps, " Gaps only"])]);

        var routeBoxes = [];
        var routeList = h("div", { className: "routes-routes" });
        data.routes.forEach(function (route) {
          var count = arcs.filter(function (arc) {
            return arc.p.routes.indexOf(route) >= 0;
          }).length;
          var input = h("input", {
            type: "checkbox",
            className: "routes-route",
            checked: true,
            change: function () {
              state.routes[route] = input.checked;
              refresh();
            },
          });
          input.value = route;
          routeBoxes.push(input);
          append(routeList, [h("label", { className: "routes-row" }, [input, " " + route + " (" + count + ")"])]);
        });
        function setAll(on) {
          routeBoxes.forEach(function (input) {
            input.checked = on;
            state.routes[input.value] = on;
          });
          refresh();
        }
        append(box, [
          h("fieldset", { className: "routes-fieldset" }, [
            h("legend", { text: "Routes" }),
            h("div", { className: "routes-row" }, [
              h("button", { type: "button", text: "all", click: function () {
                setAll(true);
              } }),
              h("button", { type: "button", text: "none", click: function () {
                setAll(false);
              } }),
            ]),
            routeList,
          ]),
        ]);

        var ids = Object.keys(data.partnerships).sort(function (a, b) {
          var x = pname(a);
          var y = pname(b);
          return x < y ? -1 : x > y ? 1 : a < b ? -1 : 1;
        });
        pickerSelect = h(
          "select",
          {
            className: "routes-picker",
            "aria-label": "Partnership",
            change: function () {
              state.picked = pickerSelect.value;
              refresh();
            },
          },
          [h("option", { value: "", text: "— none —" })].concat(
            ids.map(function (pid) {
              return h("option", { value: pid, text: pname(pid) });
            })
          )
        );
        pickedInfo = h("div", { className: "routes-picked-info", "aria-live": "polite" });
        append(box, [h("label", { className: "routes-block" }, [h("span", { className: "routes-label", text: "Show what an instrument joins" }), pickerSelect]), pickedInfo]);

        var listId = dataId + "-countries";
        var datalist = h(
          "datalist",
          { id: listId },
          nodes
            .map(function (node) {
              return name(node.p.code) + " (" + node.p.code + ")";
            })
            .sort()
            .map(function (label) {
              return h("option", { value: label });
            })
        );
        var message = h("div", { className: "routes-search-msg", "aria-live": "polite" });
        var search = h("input", { type: "search", className: "routes-search", list: listId, placeholder: "Find a country", "aria-label": "Find a country" });
        function go() {
          var node = findCountry(search.value);
          clear(message);
          if (!search.value.trim()) return;
          if (!node) {
            append(message, ["No country “" + search.value.trim() + "” on this map"]);
            return;
          }
          map.setView(node.layer.getLatLng(), Math.max(map.getZoom(), 5), { animate: false });
          node.layer.openPopup();
        }
        search.addEventListener("change", go);
        search.addEventListener("keydown", function (event) {
          if (event.key === "Enter") go();
        });
        append(box, [h("label", { className: "routes-block" }, [h("span", { className: "routes-label", text: "Country" }), search]), datalist, message]);
        return box;
      },
    });

    var Legend = L.Control.extend({
      options: { position: "bottomright" },
      onAdd: function () {
        legendBox = stop(h("div", { className: "routes-legend", role: "region", "aria-label": "Legend" }));
        return legendBox;
      },
    });

    var Caption = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        captionBox = stop(h("div", { className: "routes-caption" }));
        return captionBox;
      },
    });

    var FullScreen = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var button = h("button", {
          type: "button",
          className: "routes-fullscreen-button",
          title: "Full screen",
          "aria-label": "Full screen",
        });
        button.appendChild(
          svg("svg", { width: 16, height: 16, viewBox: "0 0 16 16", "aria-hidden": "true" }, [
            svg("path", { d: "M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5", fill: "none", stroke: "#333", "stroke-width": 2 }),
          ])
        );
        L.DomEvent.on(button, "click", function (event) {
          L.DomEvent.stop(event);
          toggleFullScreen();
        });
        return stop(h("div", { className: "leaflet-bar routes-fullscreen" }, [button]));
      },
    });

    function toggleFullScreen() {
      if (document.fullscreenElement) {
        document.exitFullscreen();
        return;
      }
      if (container.classList.contains("routes-pseudo-fullscreen") || !container.requestFullscreen) {
        pseudoFullScreen();
        return;
      }
      container.requestFullscreen().catch(pseudoFullScreen);
    }

    function pseudoFullScreen() {
      container.classList.toggle("routes-pseudo-fullscreen");
      map.invalidateSize();
    }
    document.addEventListener("fullscreenchange", function () {
      map.invalidateSize();
    });

    function cornerSize(vertical, horizontal) {
      var corner = container.querySelector(".leaflet-" + vertical + ".leaflet-" + horizontal);
      var w = 0;
      var hgt = 0;
      Array.prototype.forEach.call(corner ? corner.children : [], function (child) {
        var rect = child.getBoundingClientRect();
        w = Math.max(w, rect.width + 10);
        hgt += rect.height + 10;
      });
      return { x: w, y: hgt };
    }

    function fitView() {
      var bounds = L.latLngBounds([]);
      arcs.forEach(function (arc) {
        bounds.extend(arc.layer.getBounds());
      });
      nodes.forEach(function (node) {
        bounds.extend(node.layer.getLatLng());
      });
      if (!bounds.isValid()) return;
      var size = map.getSize();
      var title = container.querySelector(".routes-title");
      var top = title ? title.getBoundingClientRect().height + 20 : 20;
      var left = Math.max(cornerSize("top", "left").x, 20);
      var right = Math.max(cornerSize("top", "right").x, cornerSize("bottom", "right").x, 20);
      var bottom = Math.max(cornerSize("bottom", "left").y, 20);
      map.fitBounds(bounds, {
        paddingTopLeft: [Math.min(left, size.x * 0.15), Math.min(top, size.y * 0.2)],
        paddingBottomRight: [Math.min(right, size.x * 0.3), Math.min(bottom, size.y * 0.25)],
        animate: false,
      });
    }

    // -- put it together ---------------------------------------------------------------------
    container.appendChild(h("div", { className: "routes-title", role: "heading", "aria-level": "1", text: data.title }));
    new FullScreen().addTo(map);
    new Panel().addTo(map);
    new Legend().addTo(map);
    new Caption().addTo(map);
    haloLayer.addTo(map);
    segLayer.addTo(map);
    arrowLayer.addTo(map);
    nodeLayer.addTo(map);

    refresh();
    fitView();
    map.on("zoomend viewreset", placeArrows);
    placeArrows();

    // A page embedded in a frame may be laid out at its final size only after this
    // script ran: fit again on resize until the reader moves the map.
    var autoView = true;
    map.on("dragstart", function () {
      autoView = false;
    });
    container.addEventListener("wheel", function () {
      autoView = false;
    }, { passive: true });
    window.addEventListener("resize", function () {
      if (!autoView) return;
      map.invalidateSize({ animate: false });
      fitView();
    });

    var api = {
      map: map,
      setYear: setYear,
      year: function () {
        return yearInfo().year;
      },
    };
    window.routesMaps = (window.routesMaps || []).concat([api]);
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        container.setAttribute("data-ready", "1");
        document.body.setAttribute("data-ready", "1");
      });
    });
    return api;
  }

  window.routesCorridorMap = routesCorridorMap;
})();
