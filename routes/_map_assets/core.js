/*
 * routes: the corridor map's core — data, state, layers and styles. The other files
 * (title, panel, legend, search, labels, popups, table, share, print) are modules that
 * core runs in the order the page includes them; they talk through `ctx`.
 *
 * Every string from the data reaches the page through textContent or DOM properties,
 * never through innerHTML; links are made only for http(s) URLs. The page reads its
 * data from a JSON script block (type application/json).
 *
 * Interface strings are written t("…") (tn("…", "…", n) with a count, tp("context", "…")
 * where one English word has two meanings): they are the msgids of the package's gettext
 * catalogue (routes/locale, extracted by pybabel), and the payload carries the translations
 * the page's language needs ("messages"; none in English). "{name}" in a message is filled
 * from its values.
 * Part of the routes package (MIT); needs Leaflet 1.9.
 */
(function () {
  "use strict";

  var RM = (window.RoutesMap = window.RoutesMap || { modules: [] });
  RM.module = function (name, install) {
    RM.modules.push({ name: name, install: install });
  };

  // -- DOM and text helpers: text only ---------------------------------------------------

  var SVG_NS = "http://www.w3.org/2000/svg";

  function h(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = String(value);
      else if (key === "className") node.className = value;
      else if (typeof value === "function") node.addEventListener(key, value);
      else node.setAttribute(key, value === true ? "" : String(value));
    });
    return append(node, children);
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

  // "{name}" in a text becomes values.name; a placeholder without a value stays (see nodes()).
  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (whole, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  // A text whose "{name}" placeholders are DOM nodes (a count in bold inside a sentence): an array for append().
  // (No regular expression literal right after "return": pybabel's JavaScript lexer would read it as a division.)
  var PLACEHOLDER = /^\{\w+\}$/;
  function nodes(text, values) {
    return String(text)
      .split(/(\{\w+\})/)
      .filter(function (part) {
        return part !== "";
      })
      .map(function (part) {
        var key = part.slice(1, -1);
        var filled = PLACEHOLDER.test(part) && values && Object.prototype.hasOwnProperty.call(values, key);
        return filled ? values[key] : part;
      });
  }

  function stop(node) {
    L.DomEvent.disableClickPropagation(node);
    L.DomEvent.disableScrollPropagation(node);
    return node;
  }

  // The same folding as routes.countries.normalise: accents, case, punctuation, a leading "the".
  function normalise(text) {
    var t = String(text).normalize("NFKD").replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g, "");
    t = t.toLowerCase().replace(/[\u2019'`.,()]/g, "").replace(/&/g, " and ").replace(/[-/&]+/g, " ");
    t = t.replace(/\s+/g, " ").trim();
    return t.indexOf("the ") === 0 ? t.slice(4) : t;
  }

  RM.util = {
    h: h,
    append: append,
    svg: svg,
    clear: clear,
    safeUrl: safeUrl,
    sourceNode: sourceNode,
    fill: fill,
    nodes: nodes,
    stop: stop,
    normalise: normalise,
  };

  // -- the page's language ------------------------------------------------------------------

  // Which form a count takes: 1 is singular in English; 0 and 1 are in French.
  var PLURAL = {
    en: function (n) {
      return n === 1 ? 0 : 1;
    },
    fr: function (n) {
      return n > 1 ? 1 : 0;
    },
  };
  var NUMBER_LOCALE = { en: "en-US", fr: "fr-FR" };

  // The messages of one page: translations by msgid (plural forms as a list, a context as "context\u0004msgid");
  // a message without a translation is its msgid.
  function translator(lang, messages) {
    var plural = PLURAL[lang] || PLURAL.en;
    var number = new Intl.NumberFormat(NUMBER_LOCALE[lang] || "en-US", { maximumFractionDigits: 1 });
    messages = messages || {};
    function lookup(key) {
      return Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : null;
    }
    function t(msgid, values) {
      var text = lookup(msgid);
      return fill(typeof text === "string" ? text : msgid, values);
    }
    function tn(singular, pluralText, n, values) {
      var forms = lookup(singular);
      var i = plural(n);
      var text = Array.isArray(forms) && forms[i] ? forms[i] : i === 0 ? singular : pluralText;
      return fill(text, values);
    }
    function tp(context, msgid, values) {
      var text = lookup(context + "\u0004" + msgid);
      return fill(typeof text === "string" ? text : msgid, values);
    }
    return {
      lang: lang,
      t: t,
      tn: tn,
      tp: tp,
      // A word of the data format (a tier, kind, theme, status...) in the page's language.
      term: function (value) {
        var text = typeof value === "string" ? lookup(value) : null;
        return typeof text === "string" ? text : value;
      },
      // A field of partnerships.yaml (those a source left unsettled) in the page's language.
      field: function (name) {
        var text = lookup("field\u0004" + name);
        return typeof text === "string" ? text : name;
      },
      fmt: function (value) {
        return value === null || value === undefined ? t("unknown") : number.format(value);
      },
      shortList: function (items, limit) {
        limit = limit || 6;
        if (items.length <= limit) return items.join("; ");
        return t("{items}; and {count} more", { items: items.slice(0, limit).join("; "), count: items.length - limit });
      },
    };
  }
  RM.translator = translator;

  // -- the data: ids and sources written once, lines as integers ---------------------------

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

  // -- styles -----------------------------------------------------------------------------

  var TIERS = ["none", "forum", "political", "operational", "binding"];
  var DRAW_ORDER = { internal: 0, binding: 1, operational: 2, political: 3, forum: 4, none: 5 };
  var W_MIN = 2;
  var W_MAX = 12;
  var W_UNKNOWN = 2.5;
  var DASH_UNKNOWN = "7 6";
  var HALO = 7;
  var HIT = 16;
  var R_MIN = 4;
  var R_MAX = 16;

  RM.style = {
    TIERS: TIERS,
    W_UNKNOWN: W_UNKNOWN,
    DASH_UNKNOWN: DASH_UNKNOWN,
  };

  // What each tier means, for the legend and the popups.
  function meanings(t) {
    return {
      binding: t("a legally binding agreement joins the two countries"),
      operational: t("an operational instrument (MoU, partnership, compact…)"),
      political: t("a political declaration or statement"),
      forum: t("only a regional dialogue both take part in"),
      none: t("no instrument joins the two countries"),
      internal: t("both EU members: internal, neither covered nor a gap"),
    };
  }

  // -- the map ---------------------------------------------------------------------------

  function routesCorridorMap(map, dataId) {
    var data = expand(JSON.parse(document.getElementById(dataId).textContent));
    var container = map.getContainer();
    var words = translator(data.lang || "en", data.messages);
    var t = words.t;
    var MEANING = meanings(t);
    var ctx = {
      map: map,
      container: container,
      data: data,
      dataId: dataId,
      colors: data.colors,
      util: RM.util,
      style: RM.style,
      lang: words.lang,
      t: t,
      tn: words.tn,
      tp: words.tp,
      term: words.term,
      field: words.field,
      fmt: words.fmt,
      shortList: words.shortList,
      meaning: function (tier) {
        return MEANING[tier];
      },
      arcs: [],
      nodes: [],
      hooks: {},
      // "#static" in the address (static images): controls folded, nothing to click.
      staticView: /(^#|[#&])static(&|$)/.test(window.location.hash),
      state: { yi: data.start, base: data.base, gapsOnly: false, picked: "", routes: {}, focus: "" },
    };
    data.routes.forEach(function (route) {
      ctx.state.routes[route] = true;
    });
    container.classList.add("routes-map");
    if (ctx.staticView) container.classList.add("routes-static");
    if (!data.tiles) container.classList.add("routes-no-tiles");

    ctx.on = function (event, fn) {
      (ctx.hooks[event] = ctx.hooks[event] || []).push(fn);
    };
    ctx.emit = function (event, arg) {
      (ctx.hooks[event] || []).forEach(function (fn) {
        fn(arg);
      });
    };
    // "opened" or "closed" (see ctx.change), in words.
    ctx.changeWord = function (change) {
      return change === "opened" ? t("opened") : change === "closed" ? t("closed") : change;
    };
    // What a gap has, in words: "nothing" or "<tier> only".
    ctx.gapReason = function (rec) {
      return rec.tier === "none" ? t("nothing") : t("{tier} only", { tier: words.term(rec.tier) });
    };
    ctx.name = function (code) {
      return Object.prototype.hasOwnProperty.call(data.names, code) ? data.names[code] : code;
    };
    ctx.partnership = function (pid) {
      return data.partnerships[pid] || { name: pid, kind: "", parties: [], themes: [], tier: "" };
    };
    ctx.pname = function (pid) {
      return ctx.partnership(pid).name;
    };
    ctx.label = function (i) {
      var info = data.years[i === undefined ? ctx.state.yi : i];
      return info ? info.label : "";
    };
    ctx.yearInfo = function (i) {
      return data.years[i === undefined ? ctx.state.yi : i];
    };
    ctx.record = function (arc, i) {
      return arc.p.y[i === undefined ? ctx.state.yi : i];
    };
    ctx.nodeRecord = function (node, i) {
      return node.p.y[i === undefined ? ctx.state.yi : i];
    };
    ctx.comparing = function () {
      var b = ctx.state.base;
      return b !== null && b !== undefined && b !== ctx.state.yi && !!data.years[b];
    };
    // "opened": a gap now that was none in the base state; "closed": the reverse.
    ctx.change = function (arc) {
      if (!ctx.comparing()) return "";
      var now = ctx.record(arc);
      var then = ctx.record(arc, ctx.state.base);
      if (!now || !then) return "";
      if (now.gap && !then.gap) return "opened";
      if (then.gap && !now.gap) return "closed";
      return "";
    };
    ctx.visible = function (arc) {
      var rec = ctx.record(arc);
      if (!rec) return false;
      if (ctx.state.focus) {
        if (arc.p.routes.indexOf(ctx.state.focus) < 0) return false;
      } else if (
        !arc.p.routes.some(function (route) {
          return ctx.state.routes[route];
        })
      ) {
        return false;
      }
      return !ctx.state.gapsOnly || rec.gap || ctx.change(arc) === "closed";
    };

    function pane(name, z, interactive) {
      var node = map.createPane(name);
      node.style.zIndex = String(z);
      if (!interactive) node.style.pointerEvents = "none";
      return name;
    }
    pane("routesShapes", 250, false);
    pane("routesHalos", 405, false);
    pane("routesArcs", 410, false);
    pane("routesArrows", 415, false);
    pane("routesHits", 420, true); // under the countries: a dot is always clickable
    pane("routesNodes", 430, true);
    pane("routesLabels", 435, false); // above the dots, never covered; the pointer goes through

    // -- base layer: country shapes -----------------------------------------------------
    if (data.shapes) {
      L.geoJSON(data.shapes, {
        pane: "routesShapes",
        interactive: false,
        attribution: t("Country shapes: Natural Earth"),
        style: function (feature) {
          var onRoute = feature.properties.r === 1;
          if (data.tiles) {
            return { color: "#666", weight: onRoute ? 1 : 0.4, fillColor: "#8a7f63", fillOpacity: onRoute ? 0.18 : 0 };
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

    // -- segments: a visible arc, its halo (gaps), its arrowhead and a wide invisible hit line
    var haloLayer = L.layerGroup().addTo(map);
    var arcLayer = L.layerGroup().addTo(map);
    var arrowLayer = L.layerGroup().addTo(map);
    var hitLayer = L.layerGroup().addTo(map);
    data.segments.features.forEach(function (feature) {
      var latlngs = feature.geometry.coordinates.map(function (c) {
        return [c[1], c[0]];
      });
      var arc = { p: feature.properties, latlngs: latlngs, shown: false };
      arc.line = L.polyline(latlngs, { pane: "routesArcs", className: "routes-arc", interactive: false });
      arc.layer = arc.line;
      arc.halo = L.polyline(latlngs, {
        pane: "routesHalos",
        className: "routes-halo",
        interactive: false,
        color: ctx.colors.none,
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
      arc.hit = L.polyline(latlngs, {
        pane: "routesHits",
        className: "routes-hit",
        weight: HIT,
        opacity: 0,
        lineCap: "round",
      });
      arc.hit.on("mouseover", function () {
        ctx.hover(arc, true);
      });
      arc.hit.on("mouseout", function () {
        ctx.hover(arc, false);
      });
      ctx.arcs.push(arc);
    });

    function width(rec) {
      if (rec.flow === null || rec.flow === undefined) return W_UNKNOWN;
      if (!data.flow_max) return W_MIN;
      return W_MIN + (W_MAX - W_MIN) * Math.sqrt(Math.max(rec.flow, 0) / data.flow_max);
    }
    ctx.width = width;

    function role(arc, rec) {
      if (ctx.state.picked) return rec.joins.indexOf(ctx.state.picked) >= 0 ? "joins" : "other";
      return "";
    }

    ctx.arcStyle = function (arc) {
      var rec = ctx.record(arc);
      var unknown = rec.flow === null || rec.flow === undefined;
      var opacity = rec.gap ? 1 : rec.tier === "internal" ? 0.6 : 0.8;
      var extra = 0;
      var picked = role(arc, rec);
      var change = ctx.change(arc);
      if (picked === "joins") {
        opacity = 1;
        extra = 2;
      } else if (picked === "other") {
        opacity = 0.12;
      }
      if (ctx.comparing()) {
        opacity = change ? 1 : Math.min(opacity, 0.18);
        if (change) extra += 2;
      }
      if (ctx.state.focus) {
        if (rec.gap) extra += 2;
        else opacity = Math.min(opacity, 0.55);
      }
      if (arc.hovered) {
        opacity = 1;
        extra += 3;
      }
      return {
        color: ctx.colors[rec.tier],
        weight: width(rec) + extra,
        opacity: opacity,
        dashArray: change === "closed" ? "1 5" : unknown ? DASH_UNKNOWN : null,
        lineCap: unknown || change === "closed" ? "butt" : "round",
      };
    };

    function arcLabel(arc, rec) {
      var status;
      if (rec.tier === "internal") status = t("internal to the EU");
      else if (rec.gap && rec.tier === "none") status = t("gap, nothing joins the two countries");
      else if (rec.gap) status = t("gap, {tier} only", { tier: ctx.term(rec.tier) });
      else status = t("covered, {tier}", { tier: ctx.term(rec.tier) });
      var text = t("{origin} to {destination}, {state}: {status}; flow {flow}", {
        origin: ctx.name(arc.p.origin),
        destination: ctx.name(arc.p.destination),
        state: ctx.label(),
        status: status,
        flow: ctx.fmt(rec.flow),
      });
      var change = ctx.change(arc);
      var base = { base: ctx.label(ctx.state.base) };
      if (change === "opened") text += "; " + t("gap opened since {base}", base);
      if (change === "closed") text += "; " + t("gap closed since {base}", base);
      return text;
    }

    function tagArc(arc) {
      var node = arc.line.getElement && arc.line.getElement();
      var rec = ctx.record(arc);
      if (!node || !rec) return;
      node.setAttribute("data-id", arc.p.id);
      node.setAttribute("data-tier", rec.tier);
      node.setAttribute("data-gap", rec.gap ? "1" : "0");
      node.setAttribute("data-flow", rec.flow === null ? "unknown" : "known");
      node.setAttribute("role", "img");
      node.setAttribute("aria-label", arcLabel(arc, rec));
      var picked = role(arc, rec);
      var change = ctx.change(arc);
      if (picked) node.setAttribute("data-picked", picked);
      else node.removeAttribute("data-picked");
      if (change) node.setAttribute("data-change", change);
      else node.removeAttribute("data-change");
      if (ctx.state.focus && rec.gap) node.setAttribute("data-break", "1");
      else node.removeAttribute("data-break");
      var hit = arc.hit.getElement && arc.hit.getElement();
      if (hit) {
        hit.setAttribute("data-id", arc.p.id);
        hit.setAttribute("tabindex", "-1"); // keyboard users have the search and the table of segments
        hit.setAttribute("aria-hidden", "true");
      }
    }

    ctx.hover = function (arc, on) {
      arc.hovered = on;
      if (!arc.shown) return;
      arc.line.setStyle(ctx.arcStyle(arc));
      if (on) arc.line.bringToFront();
      var node = arc.line.getElement && arc.line.getElement();
      if (node) {
        if (on) node.setAttribute("data-hover", "1");
        else node.removeAttribute("data-hover");
      }
    };

    function drawRank(arc) {
      var rec = ctx.record(arc);
      return (
        (role(arc, rec) === "joins" ? 1000 : 0) +
        (ctx.change(arc) ? 100 : 0) +
        (rec.gap ? 10 : 0) +
        DRAW_ORDER[rec.tier]
      );
    }

    function placeArrows() {
      ctx.arcs.forEach(function (arc) {
        if (!arc.shown) return;
        var rec = ctx.record(arc);
        var pts = arc.latlngs.map(function (ll) {
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
        arc.arrow.setLatLngs(
          [tip, L.point(bx - uy * half, by + ux * half), L.point(bx + uy * half, by - ux * half)].map(function (p) {
            return map.layerPointToLatLng(p);
          })
        );
      });
    }

    // -- countries: circle markers sized by known through flow --------------------------------
    var nodeLayer = L.layerGroup().addTo(map);
    data.nodes.features.forEach(function (feature) {
      var c = feature.geometry.coordinates;
      var node = { p: feature.properties, latlng: L.latLng(c[1], c[0]) };
      node.layer = L.circleMarker(node.latlng, { pane: "routesNodes", className: "routes-node", radius: R_MIN });
      node.layer.addTo(nodeLayer);
      node.layer.on("add", function () {
        tagNode(node);
      });
      ctx.nodes.push(node);
    });
    ctx.nodeByCode = {};
    ctx.nodes.forEach(function (node) {
      ctx.nodeByCode[node.p.code] = node;
    });

    ctx.radius = function (node) {
      var rec = ctx.nodeRecord(node);
      var through = rec ? rec.through : null;
      var known = through !== null && through !== undefined;
      return known && data.through_max ? R_MIN + (R_MAX - R_MIN) * Math.sqrt(through / data.through_max) : R_MIN;
    };

    function nodeStyle(node) {
      var rec = ctx.nodeRecord(node);
      var through = rec ? rec.through : null;
      var party = !!(ctx.state.picked && rec && rec.partnerships.indexOf(ctx.state.picked) >= 0);
      var known = through !== null && through !== undefined;
      return {
        radius: ctx.radius(node),
        color: party ? "#000000" : known ? "#ffffff" : "#3d3d3d",
        weight: party ? 3 : 1.5,
        fillColor: known ? "#3d3d3d" : "#ffffff",
        fillOpacity: (known ? 0.85 : 1) * (node.shown ? 1 : 0.2),
        opacity: node.shown ? 1 : 0.25,
      };
    }

    function tagNode(node) {
      var el = node.layer.getElement && node.layer.getElement();
      if (!el) return;
      el.setAttribute("data-code", node.p.code);
      el.setAttribute("tabindex", "-1");
      el.setAttribute("role", "img");
      el.setAttribute("aria-label", ctx.name(node.p.code) + " (" + node.p.code + ")");
    }

    // -- refresh: what is drawn, and how, for the current state -------------------------------
    ctx.refresh = function () {
      var onMap = {};
      ctx.arcs.forEach(function (arc) {
        var show = ctx.visible(arc);
        arc.shown = show;
        var rec = ctx.record(arc);
        var halo = show && rec.gap;
        [
          [arc.line, arcLayer, show],
          [arc.arrow, arrowLayer, show],
          [arc.hit, hitLayer, show],
          [arc.halo, haloLayer, halo],
        ].forEach(function (item) {
          if (item[2] && !item[1].hasLayer(item[0])) item[1].addLayer(item[0]);
          if (!item[2] && item[1].hasLayer(item[0])) item[1].removeLayer(item[0]);
        });
        if (!show) return;
        onMap[arc.p.origin] = onMap[arc.p.destination] = true;
        var style = ctx.arcStyle(arc);
        arc.line.setStyle(style);
        arc.arrow.setStyle({ fillColor: style.color, fillOpacity: style.opacity, opacity: style.opacity * 0.9 });
        if (halo) {
          var extra = ctx.state.focus ? 6 : 0;
          arc.halo.setStyle({ weight: style.weight + HALO + extra, opacity: style.opacity * 0.28 });
        }
        tagArc(arc);
      });
      var shown = ctx.arcs.filter(function (arc) {
        return arc.shown;
      });
      shown.sort(function (a, b) {
        return drawRank(a) - drawRank(b) || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0);
      });
      shown.forEach(function (arc) {
        arc.line.bringToFront();
        arc.arrow.bringToFront();
      });
      placeArrows();
      ctx.nodes.forEach(function (node) {
        node.shown = !!onMap[node.p.code];
        node.layer.setStyle(nodeStyle(node));
        tagNode(node);
      });
      container.setAttribute("data-year", ctx.label());
      ctx.emit("refresh"); // the modules update their controls
      ctx.emit("refreshed"); // then lay them out again
    };

    ctx.setYear = function (index) {
      if (index < 0 || index >= data.years.length || index === ctx.state.yi) return;
      ctx.state.yi = index;
      map.closePopup();
      ctx.refresh();
    };

    // The whole map; when a route is followed, that route only.
    ctx.fitView = function () {
      var bounds = L.latLngBounds([]);
      ctx.arcs.forEach(function (arc) {
        if (ctx.record(arc) && (!ctx.state.focus || arc.shown)) bounds.extend(arc.line.getBounds());
      });
      if (!ctx.state.focus) {
        ctx.nodes.forEach(function (node) {
          bounds.extend(node.latlng);
        });
      }
      if (!bounds.isValid()) return;
      var size = map.getSize();
      var pad = ctx.padding ? ctx.padding() : { top: 20, left: 20, bottom: 20, right: 20 };
      map.fitBounds(bounds, {
        paddingTopLeft: [Math.min(pad.left, size.x * 0.3), Math.min(pad.top, size.y * 0.3)],
        paddingBottomRight: [Math.min(pad.right, size.x * 0.3), Math.min(pad.bottom, size.y * 0.3)],
        animate: false,
      });
    };

    // Leaflet's own words: the attribution's link title and the popups' close button.
    function leafletWords() {
      Array.prototype.forEach.call(container.querySelectorAll(".leaflet-control-attribution a[title]"), function (link) {
        if (link.getAttribute("href") === "https://leafletjs.com") link.setAttribute("title", t("A JavaScript library for interactive maps"));
      });
    }
    map.on("layeradd", leafletWords);
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", t("Close popup"));
    });
    // Escape closes the open popup, however it was opened (a click, the search, the table).
    var openPopup = null;
    map.on("popupopen", function (event) {
      openPopup = event.popup;
    });
    map.on("popupclose", function () {
      openPopup = null;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && openPopup) map.closePopup(openPopup);
    });

    map.on("zoomend viewreset", placeArrows);
    RM.modules.forEach(function (module) {
      module.install(ctx);
    });
    ctx.refresh();
    leafletWords();
    ctx.emit("ready"); // the modules lay their controls out, then the view is fitted to what is left
    if (!ctx.restoredView) ctx.fitView();
    placeArrows();
    ctx.emit("view");

    var api = {
      map: map,
      setYear: ctx.setYear,
      year: function () {
        return ctx.yearInfo().year;
      },
      ctx: ctx,
    };
    window.routesMaps = (window.routesMaps || []).concat([api]);
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        ctx.emit("drawn");
        container.setAttribute("data-ready", "1");
        document.body.setAttribute("data-ready", "1");
      });
    });
    return api;
  }

  window.routesCorridorMap = routesCorridorMap;
})();
