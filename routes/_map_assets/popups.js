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
    function line(label, value) {
      return h("div", { className: "routes-line" }, [h("span", { className: "routes-label", text: label + ": " }), value]);
    }
    function flowText(rec) {
      if (rec.flow === null || rec.flow === undefined) return "unknown";
      var text = u.fmt(rec.flow);
      if (rec.measure) text += " (" + rec.measure + ")";
      if (rec.status && rec.status !== "ok") text += " — figure " + rec.status;
      return text;
    }
    function swatch(tier) {
      return h("span", { className: "routes-swatch", style: "background:" + ctx.colors[tier] });
    }
    function tierText(rec) {
      return rec.tier + " — " + RM.style.MEANING[rec.tier];
    }
    function gapText(rec) {
      var what = rec.tier === "none" ? "nothing joins the two countries" : rec.tier + " only";
      return "Gap: " + what + " (below " + ctx.data.selection.min_tier + ")";
    }
    function changeText(arc) {
      var change = ctx.change(arc);
      return change ? "Gap " + change + " since " + ctx.label(ctx.state.base) : "";
    }
    function joinedNames(rec) {
      return rec.joins.map(function (pid) {
        return ctx.pname(pid) + " (" + ctx.partnership(pid).tier + ")";
      });
    }
    function head(arc) {
      return h("div", { className: "routes-tip-title", text: ctx.name(arc.p.origin) + " → " + ctx.name(arc.p.destination) });
    }

    function segmentTip(arc) {
      var rec = ctx.record(arc);
      var box = h("div", { className: "routes-tipbox" }, [
        head(arc),
        line(arc.p.routes.length > 1 ? "Routes" : "Route", arc.p.routes.join(", ")),
      ]);
      if (!rec) return u.append(box, [h("div", { text: "Not a segment in " + ctx.label() })]);
      var change = changeText(arc);
      return u.append(box, [
        line("Flow " + ctx.label(), flowText(rec)),
        line("Tier", h("span", {}, [swatch(rec.tier), tierText(rec)])),
        rec.joins.length ? line("Joined by", u.shortList(joinedNames(rec))) : null,
        rec.gap ? h("div", { className: "routes-gapflag", text: gapText(rec) }) : null,
        change ? h("div", { className: "routes-changeflag", text: change }) : null,
        h("div", { className: "routes-hint", text: "Click for instruments and sources" }),
      ]);
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
      var p = ctx.partnership(pid);
      var binding = p.binding === true ? "yes" : p.binding === false ? "no" : "unknown";
      return h("li", { className: "routes-partnership" }, [
        h("div", { className: "routes-p-name", text: p.name }),
        h("div", { text: [p.kind, p.tier, datesText(p)].join(" · ") }),
        h("div", { text: "Parties: " + (p.parties || []).map(ctx.name).join(", ") }),
        p.participants && p.participants.length ? h("div", { text: "Taking part: " + p.participants.map(ctx.name).join(", ") }) : null,
        h("div", { text: "Themes: " + (p.themes || []).join(", ") }),
        h("div", { text: "Legally binding: " + binding }),
        p.uncertain && p.uncertain.length ? h("div", { text: "Not settled by a source: " + p.uncertain.join(", ") }) : null,
        p.notes ? h("div", { className: "routes-note", text: p.notes }) : null,
        h(
          "div",
          {},
          ["Sources: "].concat(
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
      if (!rec) return u.append(box, [h("div", { text: "Not a segment in " + ctx.label() })]);
      var byRoute = Object.keys(rec.flow_by_route).map(function (route) {
        return h("li", { text: route + ": " + u.fmt(rec.flow_by_route[route]) });
      });
      var change = changeText(arc);
      return u.append(box, [
        line("Flow " + ctx.label(), flowText(rec)),
        arc.p.routes.length > 1 ? section("Flow by route", byRoute) : line("Route", arc.p.routes.join(", ")),
        line("Tier", h("span", {}, [swatch(rec.tier), tierText(rec)])),
        rec.gap ? h("div", { className: "routes-gapflag", text: gapText(rec) }) : null,
        change ? h("div", { className: "routes-changeflag", text: change }) : null,
        section("Instruments joining the two countries", rec.joins.map(partnershipBlock)),
        section(
          "Sources of the segment",
          rec.sources.map(function (s) {
            return h("li", {}, [u.sourceNode(s)]);
          })
        ),
        section(
          "Notes",
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
        { minWidth: 260, maxWidth: 380, className: "routes-popup" }
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
        line("Known flow in + out " + ctx.label(), u.fmt(rec ? rec.through : null)),
      ]);
      var rows = [];
      ctx.arcs.forEach(function (arc) {
        var r = ctx.record(arc);
        if (!r || (arc.p.origin !== code && arc.p.destination !== code)) return;
        var status = r.tier === "internal" ? "internal" : r.gap ? "gap: " + (r.tier === "none" ? "nothing" : r.tier + " only") : r.tier;
        var change = ctx.change(arc);
        rows.push(
          h("tr", { className: r.gap ? "routes-gaprow" : "" }, [
            h("td", { text: ctx.name(arc.p.origin) + " → " + ctx.name(arc.p.destination) }),
            h("td", { className: "routes-num", text: u.fmt(r.flow) }),
            h("td", { text: status + (change ? " (" + change + ")" : "") }),
          ])
        );
      });
      if (rows.length) {
        u.append(box, [
          h("div", { className: "routes-section-title", text: "Segments, " + ctx.label() }),
          h("table", { className: "routes-mini" }, [
            h("thead", {}, [h("tr", {}, [h("th", { text: "Segment" }), h("th", { text: "Flow" }), h("th", { text: "Tier" })])]),
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
            "Instruments: " + tier + " (" + list.length + ")",
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
                    title: "Show what it joins",
                    click: function () {
                      ctx.pick(pid);
                    },
                  }),
                ]);
              })
          ),
        ]);
      });
      if (!any) u.append(box, [h("div", { text: "No counted instrument in " + ctx.label() })]);
      return box;
    }

    ctx.nodes.forEach(function (node) {
      node.layer.bindTooltip(
        function () {
          var rec = ctx.nodeRecord(node);
          return h("div", { className: "routes-tipbox" }, [
            h("div", { className: "routes-tip-title", text: ctx.name(node.p.code) + " (" + node.p.code + ")" }),
            line("Known flow in + out " + ctx.label(), u.fmt(rec ? rec.through : null)),
            line("Instruments counted", String(rec ? rec.partnerships.length : 0)),
            h("div", { className: "routes-hint", text: "Click for its page: segments and instruments" }),
          ]);
        },
        { className: "routes-tip", direction: "top" }
      );
      node.layer.bindPopup(
        function () {
          return countryPage(node);
        },
        { minWidth: 280, maxWidth: 420, className: "routes-popup" }
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
    ctx.map.on("popupopen", function (event) {
      event.popup.getElement().addEventListener("keydown", function (key) {
        if (key.key === "Escape") ctx.map.closePopup();
      });
    });
  });
})();
