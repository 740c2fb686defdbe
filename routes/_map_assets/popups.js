/*
 * routes map: tooltips and popups — a segment's flow, tier and instruments with their
 * sources; a country's page: its segments (gaps marked, with flows) and its instruments by tier.
 */
(function () {
  "use strict";
  var RM = window.RoutesMap;
  var u = RM.util;
  var h = u.h;
  var TIERS_STRONG_FIRST = ["binding", "operational", "political", "forum"];

  RM.module("popups", function (ctx) {
    var t = ctx.t;
    function line(label, value) {
      return h("div", { className: "routes-line" }, [
        // TRANSLATORS: a label before its value, such as "Tier:" (French puts a no-break space before the colon).
        h("span", { className: "routes-label", text: t("{label}:", { label: label }) + " " }),
        value,
      ]);
    }
    function flowText(rec) {
      if (rec.flow === null || rec.flow === undefined) return t("unknown");
      var text = ctx.fmt(rec.flow);
      if (rec.measure) text += " (" + rec.measure + ")";
      if (rec.status && rec.status !== "ok") text += " — " + t("figure {status}", { status: ctx.term(rec.status) });
      return text;
    }
    function swatch(tier) {
      return h("span", { className: "routes-swatch", style: "background:" + ctx.colors[tier] });
    }
    function tierText(rec) {
      return ctx.term(rec.tier) + " — " + ctx.meaning(rec.tier);
    }
    function gapText(rec) {
      var below = ctx.term(ctx.data.selection.min_tier);
      if (rec.tier === "none") return t("Gap: nothing joins the two countries (below {min})", { min: below });
      return t("Gap: {tier} only (below {min})", { tier: ctx.term(rec.tier), min: below });
    }
    function changeText(arc) {
      var change = ctx.change(arc);
      var base = { base: ctx.label(ctx.state.base) };
      if (change === "opened") return t("Gap opened since {base}", base);
      if (change === "closed") return t("Gap closed since {base}", base);
      return "";
    }
    function joinedNames(rec) {
      return rec.joins.map(function (pid) {
        return ctx.pname(pid) + " (" + ctx.term(ctx.partnership(pid).tier) + ")";
      });
    }
    function flowLabel() {
      return t("Flow {year}", { year: ctx.label() });
    }
    function throughLabel() {
      return t("Known flow in + out {year}", { year: ctx.label() });
    }
    function head(arc) {
      return h("div", { className: "routes-tip-title", text: ctx.name(arc.p.origin) + " → " + ctx.name(arc.p.destination) });
    }

    function segmentTip(arc) {
      var rec = ctx.record(arc);
      var box = h("div", { className: "routes-tipbox" }, [
        head(arc),
        line(arc.p.routes.length > 1 ? t("Routes") : t("Route"), arc.p.routes.join(", ")),
      ]);
      if (!rec) return u.append(box, [h("div", { text: t("Not a segment in {year}", { year: ctx.label() }) })]);
      var change = changeText(arc);
      return u.append(box, [
        line(flowLabel(), flowText(rec)),
        line(t("Tier"), h("span", {}, [swatch(rec.tier), tierText(rec)])),
        rec.joins.length ? line(t("Joined by"), ctx.shortList(joinedNames(rec))) : null,
        rec.gap ? h("div", { className: "routes-gapflag", text: gapText(rec) }) : null,
        change ? h("div", { className: "routes-changeflag", text: change }) : null,
        h("div", { className: "routes-hint", text: t("Click for instruments and sources") }),
      ]);
    }

    function datesText(p) {
      var parts = [t("signed {date}", { date: p.signed })];
      if (p.in_force) parts.push(t("in force {date}", { date: p.in_force }));
      if (p.ended) parts.push(t("ended {date}", { date: p.ended }));
      (p.suspended || []).forEach(function (period) {
        parts.push(
          period[1]
            ? t("suspended {start} to {end}", { start: period[0], end: period[1] })
            : t("suspended {start}", { start: period[0] })
        );
      });
      return parts.join(" · ");
    }

    var sourcesWord = t("Sources");
    function partnershipBlock(pid) {
      var p = ctx.partnership(pid);
      var binding = p.binding === true ? t("yes") : p.binding === false ? t("no") : t("unknown");
      return h("li", { className: "routes-partnership" }, [
        h("div", { className: "routes-p-name", text: p.name }),
        h("div", { text: [ctx.term(p.kind), ctx.term(p.tier), datesText(p)].join(" · ") }),
        h("div", { text: t("Parties: {countries}", { countries: (p.parties || []).map(ctx.name).join(", ") }) }),
        p.participants && p.participants.length
          ? h("div", { text: t("Taking part: {countries}", { countries: p.participants.map(ctx.name).join(", ") }) })
          : null,
        h("div", { text: t("Themes: {themes}", { themes: (p.themes || []).map(ctx.term).join(", ") }) }),
        h("div", { text: t("Legally binding: {answer}", { answer: binding }) }),
        p.uncertain && p.uncertain.length ? h("div", { text: t("Not settled by a source: {fields}", { fields: p.uncertain.map(ctx.field).join(", ") }) }) : null,
        p.notes ? h("div", { className: "routes-note", text: p.notes }) : null,
        h(
          "div",
          {},
          [t("{label}:", { label: sourcesWord }) + " "].concat(
            (p.sources || []).map(function (s, i) {
              return h("span", {}, [i ? " · " : "", u.sourceNode(s)]);
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
      var rec = ctx.record(arc);
      var box = h("div", { className: "routes-popupbox" }, [head(arc)]);
      if (!rec) return u.append(box, [h("div", { text: t("Not a segment in {year}", { year: ctx.label() }) })]);
      var byRoute = Object.keys(rec.flow_by_route).map(function (route) {
        return h("li", { text: t("{label}:", { label: route }) + " " + ctx.fmt(rec.flow_by_route[route]) });
      });
      var change = changeText(arc);
      return u.append(box, [
        line(flowLabel(), flowText(rec)),
        arc.p.routes.length > 1 ? section(t("Flow by route"), byRoute) : line(t("Route"), arc.p.routes.join(", ")),
        line(t("Tier"), h("span", {}, [swatch(rec.tier), tierText(rec)])),
        rec.gap ? h("div", { className: "routes-gapflag", text: gapText(rec) }) : null,
        change ? h("div", { className: "routes-changeflag", text: change }) : null,
        section(t("Instruments joining the two countries"), rec.joins.map(partnershipBlock)),
        section(
          t("Sources of the segment"),
          rec.sources.map(function (s) {
            return h("li", {}, [u.sourceNode(s)]);
          })
        ),
        section(
          t("Notes"),
          rec.notes.map(function (n) {
            return h("li", { text: n });
          })
        ),
      ]);
    }

    ctx.arcs.forEach(function (arc) {
      arc.hit.bindTooltip(
        function () {
          return segmentTip(arc);
        },
        { sticky: true, className: "routes-tip" }
      );
      arc.hit.bindPopup(
        function () {
          return segmentPopup(arc);
        },
        { minWidth: 260, maxWidth: 380, className: "routes-popup", autoPan: false } // layout.js pans it clear
      );
      arc.hit.on("popupopen", function () {
        arc.hit.closeTooltip();
      });
    });

    // -- the country page ---------------------------------------------------------------------
    function countryPage(node) {
      var code = node.p.code;
      var rec = ctx.nodeRecord(node);
      var box = h("div", { className: "routes-popupbox routes-country", "data-code": code }, [
        h("div", { className: "routes-tip-title", text: ctx.name(code) + " (" + code + ")" }),
        line(throughLabel(), ctx.fmt(rec ? rec.through : null)),
      ]);
      var rows = [];
      ctx.arcs.forEach(function (arc) {
        var r = ctx.record(arc);
        if (!r || (arc.p.origin !== code && arc.p.destination !== code)) return;
        var status = r.gap ? t("gap: {reason}", { reason: ctx.gapReason(r) }) : ctx.term(r.tier);
        var change = ctx.change(arc);
        rows.push(
          h("tr", { className: r.gap ? "routes-gaprow" : "" }, [
            h("td", { text: ctx.name(arc.p.origin) + " → " + ctx.name(arc.p.destination) }),
            h("td", { className: "routes-num", text: ctx.fmt(r.flow) }),
            h("td", { text: status + (change ? " (" + ctx.changeWord(change) + ")" : "") }),
          ])
        );
      });
      if (rows.length) {
        u.append(box, [
          h("div", { className: "routes-section-title", text: t("Segments, {year}", { year: ctx.label() }) }),
          h("table", { className: "routes-mini" }, [
            h("thead", {}, [h("tr", {}, [h("th", { text: t("Segment") }), h("th", { text: t("Flow") }), h("th", { text: t("Tier") })])]),
            h("tbody", {}, rows),
          ]),
        ]);
      }
      var ids = rec ? rec.partnerships : [];
      var byTier = {};
      ids.forEach(function (pid) {
        var tier = ctx.partnership(pid).tier || "operational";
        (byTier[tier] = byTier[tier] || []).push(pid);
      });
      var any = false;
      TIERS_STRONG_FIRST.forEach(function (tier) {
        var list = byTier[tier];
        if (!list) return;
        any = true;
        u.append(box, [
          section(
            t("Instruments: {tier} ({count})", { tier: ctx.term(tier), count: list.length }),
            list
              .slice()
              .sort(function (a, b) {
                return ctx.pname(a) < ctx.pname(b) ? -1 : 1;
              })
              .map(function (pid) {
                return h("li", {}, [
                  h("button", {
                    type: "button",
                    className: "routes-linklike",
                    text: ctx.pname(pid),
                    title: t("Show what it joins"),
                    click: function () {
                      ctx.pick(pid);
                    },
                  }),
                ]);
              })
          ),
        ]);
      });
      if (!any) u.append(box, [h("div", { text: t("No counted instrument in {year}", { year: ctx.label() }) })]);
      return box;
    }

    ctx.nodes.forEach(function (node) {
      node.layer.bindTooltip(
        function () {
          var rec = ctx.nodeRecord(node);
          return h("div", { className: "routes-tipbox" }, [
            h("div", { className: "routes-tip-title", text: ctx.name(node.p.code) + " (" + node.p.code + ")" }),
            line(throughLabel(), ctx.fmt(rec ? rec.through : null)),
            line(t("Instruments counted"), String(rec ? rec.partnerships.length : 0)),
            h("div", { className: "routes-hint", text: t("Click for its page: segments and instruments") }),
          ]);
        },
        { className: "routes-tip", direction: "top" }
      );
      node.layer.bindPopup(
        function () {
          return countryPage(node);
        },
        { minWidth: 280, maxWidth: 420, className: "routes-popup", autoPan: false }
      );
      node.layer.on("popupopen", function () {
        node.layer.closeTooltip();
      });
    });
    ctx.openCountry = function (code) {
      var node = ctx.nodeByCode[code];
      if (!node) return false;
      var from = document.activeElement;
      ctx.map.setView(node.latlng, Math.max(ctx.map.getZoom(), 5), { animate: false });
      node.layer.openPopup();
      // Opened from the keyboard (search, table): the reader lands in the page, Escape goes back.
      var close = node.layer.getPopup().getElement().querySelector(".leaflet-popup-close-button");
      if (close && from && from !== document.body) {
        close.focus();
        node.layer.getPopup().once("remove", function () {
          if (document.contains(from)) from.focus();
        });
      }
      return true;
    };
  });
})();
