/*
 * routes map: the legend — tiers with their counts (gaps with a halo), the gaps opened and
 * closed since the base state, widths, unknown flows, direction, countries.
 */
(function () {
  "use strict";
  var RM = window.RoutesMap;
  var u = RM.util;
  var h = u.h;

  var TIER_ORDER = ["none", "forum", "political", "operational", "binding"];
  var LEGEND_ORDER = ["none", "forum", "political", "operational", "binding", "internal"];

  RM.module("legend", function (ctx) {
    var data = ctx.data;
    var colors = ctx.colors;
    var t = ctx.t;
    var tn = ctx.tn;
    var body = h("div", { className: "routes-legend-body" });
    var box = u.stop(
      h("details", { className: "routes-legend routes-fold", open: true, role: "region", "aria-label": t("Legend") }, [
        h("summary", { text: t("Legend") }),
        body,
      ])
    );
    ctx.fold(box);
    var Legend = L.Control.extend({
      options: { position: "bottomright" },
      onAdd: function () {
        return box;
      },
    });
    new Legend().addTo(ctx.map);

    function lineSample(color, w, dash) {
      var attrs = { x1: 2, y1: 9, x2: 34, y2: 9, stroke: color, "stroke-width": w, "stroke-linecap": dash ? "butt" : "round" };
      if (dash) attrs["stroke-dasharray"] = dash;
      return u.svg("svg", { width: 36, height: 18, viewBox: "0 0 36 18", "aria-hidden": "true" }, [u.svg("line", attrs)]);
    }
    function haloSample(color) {
      return u.svg("svg", { width: 36, height: 18, viewBox: "0 0 36 18", "aria-hidden": "true" }, [
        u.svg("line", { x1: 4, y1: 9, x2: 32, y2: 9, stroke: colors.none, "stroke-width": 12, "stroke-opacity": 0.28, "stroke-linecap": "round" }),
        u.svg("line", { x1: 4, y1: 9, x2: 32, y2: 9, stroke: color, "stroke-width": 5, "stroke-linecap": "round" }),
      ]);
    }
    function niceFlows() {
      var max = data.flow_max;
      if (!max) return [];
      var mag = Math.pow(10, Math.floor(Math.log10(max)));
      var top = Math.floor(max / mag) * mag;
      return [top, top / 10, top / 100].filter(function (v) {
        return v >= 1;
      });
    }
    function legendRow(sample, text, count, attrs) {
      var children = [sample, h("span", { className: "routes-legend-label", text: text })];
      if (count !== undefined) children.push(h("span", Object.assign({ className: "routes-count", text: String(count) }, attrs || {})));
      return h("div", { className: "routes-legend-row" }, children);
    }

    ctx.on("refresh", function () {
      var counts = ctx.yearInfo().counts;
      var minRank = TIER_ORDER.indexOf(data.selection.min_tier);
      u.clear(body);
      u.append(body, [h("div", { className: "routes-legend-title", text: t("Depth of cooperation, {year}", { year: ctx.label() }) })]);
      LEGEND_ORDER.forEach(function (tier) {
        var gap = tier !== "internal" && TIER_ORDER.indexOf(tier) < minRank;
        var values = { tier: ctx.term(tier), meaning: ctx.meaning(tier) };
        u.append(body, [
          legendRow(
            gap ? haloSample(colors[tier]) : lineSample(colors[tier], 5),
            gap ? t("{tier} (gap): {meaning}", values) : t("{tier}: {meaning}", values),
            counts[tier],
            { "data-tier": tier }
          ),
        ]);
      });
      // TRANSLATORS: the form follows {internal}; {count} is the number of gaps, in bold.
      var sentence = tn(
        "Gaps (no instrument at {tier} tier or above; red halo): {count} of {segments} segments, {internal} internal",
        "Gaps (no instrument at {tier} tier or above; red halo): {count} of {segments} segments, {internal} internal",
        counts.internal,
        { tier: ctx.term(data.selection.min_tier), segments: counts.segments - counts.internal, internal: counts.internal }
      );
      u.append(body, [
        h(
          "div",
          { className: "routes-legend-gaps" },
          u.nodes(sentence, { count: h("strong", { className: "routes-count", "data-tier": "gap", text: String(counts.gaps) }) })
        ),
      ]);
      if (ctx.comparing()) {
        var opened = 0;
        var closed = 0;
        ctx.arcs.forEach(function (arc) {
          var change = ctx.change(arc);
          if (change === "opened") opened++;
          if (change === "closed") closed++;
        });
        u.append(body, [
          h("div", { className: "routes-legend-title", text: t("Compared with {base}", { base: ctx.label(ctx.state.base) }) }),
          legendRow(haloSample(colors.none), t("gaps opened"), opened, { "data-change": "opened" }),
          legendRow(lineSample("#555", 4, "1 5"), t("gaps closed (dotted, in the colour of their new tier)"), closed, { "data-change": "closed" }),
          h("div", { className: "routes-legend-note", text: t("Segments whose state did not change are faded.") }),
        ]);
      }
      u.append(body, [h("div", { className: "routes-legend-title", text: t("Width: flow, {year} (√ scale)", { year: ctx.yearInfo().year || ctx.label() }) })]);
      niceFlows().forEach(function (flow) {
        u.append(body, [legendRow(lineSample("#555", ctx.width({ flow: flow })), ctx.fmt(flow))]);
      });
      u.append(body, [
        legendRow(lineSample("#555", RM.style.W_UNKNOWN, RM.style.DASH_UNKNOWN), t("flow unknown (dashed, fixed width)")),
        legendRow(
          u.svg("svg", { width: 36, height: 18, viewBox: "0 0 36 18", "aria-hidden": "true" }, [
            u.svg("polygon", { points: "26,9 12,2 12,16", fill: "#555" }),
          ]),
          t("direction of travel; A→B and B→A bend apart")
        ),
        legendRow(
          u.svg("svg", { width: 36, height: 18, viewBox: "0 0 36 18", "aria-hidden": "true" }, [
            u.svg("circle", { cx: 10, cy: 9, r: 7, fill: "#3d3d3d", stroke: "#fff" }),
            u.svg("circle", { cx: 28, cy: 9, r: 4, fill: "#fff", stroke: "#3d3d3d", "stroke-width": 1.5 }),
          ]),
          t("country: size grows with √ of its known flow in + out; hollow: none known")
        ),
      ]);
      if (ctx.state.picked) {
        u.append(body, [
          h("div", { className: "routes-legend-picked", text: t("Highlighted: segments joined by {instrument}", { instrument: ctx.pname(ctx.state.picked) }) }),
        ]);
      }
    });
  });
})();
