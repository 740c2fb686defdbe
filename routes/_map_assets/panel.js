/*
 * routes map: the panel — year and base year (compare), gaps only, follow one route (its
 * paths and break points), the routes shown, the instrument picker, the search, and the
 * exports (CSV of the segments shown, a link to this view, the table of segments).
 */
(function () {
  "use strict";
  var RM = window.RoutesMap;
  var u = RM.util;
  var h = u.h;

  RM.module("panel", function (ctx) {
    var map = ctx.map;
    var data = ctx.data;
    var state = ctx.state;
    var controls = {};
    var t = ctx.t;
    var tn = ctx.tn;
    var tp = ctx.tp;

    function row(children, className) {
      return h("div", { className: className || "routes-row" }, children);
    }
    function option(value, text) {
      return h("option", { value: String(value), text: text });
    }

    // -- whole routes: paths from each origin to each end, with their break points --------------
    // The first `limit` paths; `.total` counts them all (up to COUNT_LIMIT, then stops counting).
    var COUNT_LIMIT = 10000;
    ctx.routePaths = function (route, limit) {
      limit = limit || 40;
      var count = 0;
      var out = {};
      var into = {};
      var byKey = {};
      ctx.arcs.forEach(function (arc) {
        if (arc.p.routes.indexOf(route) < 0 || !ctx.record(arc)) return;
        (out[arc.p.origin] = out[arc.p.origin] || []).push(arc.p.destination);
        into[arc.p.destination] = true;
        byKey[arc.p.origin + ">" + arc.p.destination] = arc;
        out[arc.p.destination] = out[arc.p.destination] || [];
      });
      var starts = Object.keys(out)
        .filter(function (c) {
          return !into[c];
        })
        .sort();
      var paths = [];
      function walk(path) {
        if (count >= COUNT_LIMIT) return;
        var last = path[path.length - 1];
        var next = (out[last] || []).slice().sort();
        if (!next.length) {
          count++;
          if (paths.length < limit) paths.push(path);
          return;
        }
        next.forEach(function (country) {
          if (path.indexOf(country) < 0) walk(path.concat([country]));
        });
      }
      starts.forEach(function (start) {
        walk([start]);
      });
      var found = paths.map(function (path) {
        var breaks = [];
        for (var i = 1; i < path.length; i++) {
          var arc = byKey[path[i - 1] + ">" + path[i]];
          var rec = arc && ctx.record(arc);
          if (rec && rec.gap) breaks.push([path[i - 1], path[i]]);
        }
        return { countries: path, breaks: breaks };
      });
      found.total = count;
      return found;
    };

    var routeInfo = h("div", { className: "routes-route-info", "aria-live": "polite" });
    function updateRouteInfo() {
      u.clear(routeInfo);
      if (!state.focus) return;
      var total = (ctx.yearInfo().route_totals || {})[state.focus];
      var known = total && total.flow !== null && total.flow !== undefined;
      var shown = known
        ? ctx.fmt(total.flow) + " (" + total.measure + (total.status !== "ok" ? ", " + ctx.term(total.status) : "") + ")"
        : t("unknown");
      u.append(routeInfo, [
        h("div", { className: "routes-route-total", text: t("Route total {year}: {total}", { year: ctx.label(), total: shown }) }),
      ]);
      var paths = ctx.routePaths(state.focus);
      var list = h("ol", { className: "routes-paths" });
      paths.forEach(function (path) {
        var item = h("li", {}, [path.countries.map(ctx.name).join(" → ")]);
        if (path.breaks.length) {
          u.append(item, [
            h("div", {
              className: "routes-breaks",
              text: t("Break points: {segments}", {
                segments: path.breaks
                  .map(function (b) {
                    return ctx.name(b[0]) + " → " + ctx.name(b[1]);
                  })
                  .join(", "),
              }),
            }),
          ]);
        } else {
          u.append(item, [h("div", { className: "routes-nobreak", text: t("No break point") })]);
        }
        list.appendChild(item);
      });
      u.append(routeInfo, [list]);
      if (paths.total > paths.length) {
        var more = paths.total - paths.length;
        u.append(routeInfo, [
          h("div", {
            className: "routes-more-paths",
            text: tn(
              "and {count} more path ({total} in all); routes summary --paths lists every one",
              "and {count} more paths ({total} in all); routes summary --paths lists every one",
              more,
              { count: ctx.fmt(more), total: paths.total >= COUNT_LIMIT ? ctx.fmt(COUNT_LIMIT) + "+" : ctx.fmt(paths.total) }
            ),
          }),
        ]);
      }
    }

    // -- exports ---------------------------------------------------------------------------
    function csvCell(value) {
      var text = value === null || value === undefined ? "" : String(value);
      if (/^[=+\-@\t\r]/.test(text)) text = "'" + text; // never a formula in a spreadsheet
      var quoted = /[",\n\r]/.test(text); // not right after "return": pybabel would read a division
      return quoted ? '"' + text.replace(/"/g, '""') + '"' : text;
    }
    ctx.segmentRows = function () {
      return ctx.arcs
        .filter(function (arc) {
          return arc.shown;
        })
        .map(function (arc) {
          var rec = ctx.record(arc);
          return {
            arc: arc,
            origin: arc.p.origin,
            destination: arc.p.destination,
            routes: arc.p.routes.join("; "),
            state: ctx.label(),
            flow: rec.flow,
            tier: rec.tier,
            gap: rec.gap,
            gapReason: rec.gap ? (rec.tier === "none" ? "nothing" : rec.tier + " only") : "",
            gapText: rec.gap ? ctx.gapReason(rec) : "",
            change: ctx.change(arc),
            joins: rec.joins.map(ctx.pname).join("; "),
          };
        })
        .sort(function (a, b) {
          var fa = a.flow === null ? -1 : a.flow;
          var fb = b.flow === null ? -1 : b.flow;
          return fb - fa || (a.origin + a.destination < b.origin + b.destination ? -1 : 1);
        });
    };
    function downloadCsv() {
      var header = ["origin", "origin_name", "destination", "destination_name", "routes", "state", "flow", "tier", "gap"];
      header.push("gap_reason", "change", "instruments");
      var lines = [header.join(",")];
      ctx.segmentRows().forEach(function (r) {
        lines.push(
          [r.origin, ctx.name(r.origin), r.destination, ctx.name(r.destination), r.routes, r.state, r.flow, r.tier]
            .concat([r.gap ? "yes" : "no", r.gapReason, r.change, r.joins])
            .map(csvCell)
            .join(",")
        );
      });
      var blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
      var link = h("a", { href: URL.createObjectURL(blob), download: "segments-" + ctx.label().replace(/[^\w.-]+/g, "_") + ".csv" });
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      setTimeout(function () {
        URL.revokeObjectURL(link.href);
      }, 1000);
    }

    var Panel = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var box = u.stop(h("details", { className: "routes-panel routes-fold", open: !ctx.staticView }));
        ctx.fold(box);
        u.append(box, [h("summary", { text: t("Map controls") })]);
        var labels = data.years.map(function (info, i) {
          return option(i, info.label);
        });
        if (data.years.length > 1) {
          controls.year = h(
            "select",
            {
              className: "routes-year",
              "aria-label": t("State shown"),
              change: function () {
                ctx.setYear(Number(controls.year.value));
              },
            },
            labels
          );
          controls.prev = h("button", {
            type: "button",
            className: "routes-prev",
            "aria-label": t("Previous"),
            text: "◀",
            click: function () {
              ctx.setYear(state.yi - 1);
            },
          });
          controls.next = h("button", {
            type: "button",
            className: "routes-next",
            "aria-label": t("Next"),
            text: "▶",
            click: function () {
              ctx.setYear(state.yi + 1);
            },
          });
          controls.base = h(
            "select",
            {
              className: "routes-base",
              "aria-label": t("Compare with"),
              change: function () {
                state.base = controls.base.value === "" ? null : Number(controls.base.value);
                ctx.refresh();
              },
            },
            [option("", t("— nothing —"))].concat(
              data.years.map(function (info, i) {
                return option(i, info.label);
              })
            )
          );
          u.append(box, [
            row([h("span", { className: "routes-label", text: t("Show") + " " }), controls.prev, controls.year, controls.next]),
            h("label", { className: "routes-block" }, [
              h("span", { className: "routes-label", text: t("Compare with (gaps opened and closed since)") }),
              controls.base,
            ]),
          ]);
        }
        controls.gaps = h("input", {
          type: "checkbox",
          className: "routes-gaps-only",
          change: function () {
            state.gapsOnly = controls.gaps.checked;
            ctx.refresh();
          },
        });
        u.append(box, [h("label", { className: "routes-row" }, [controls.gaps, " " + t("Gaps only")])]);

        controls.focus = h(
          "select",
          {
            className: "routes-focus",
            "aria-label": t("Follow one route"),
            change: function () {
              state.focus = controls.focus.value;
              ctx.refresh();
              if (state.focus) ctx.fitView();
            },
          },
          [option("", t("— all routes —"))].concat(
            data.routes.map(function (route) {
              return option(route, route);
            })
          )
        );
        u.append(box, [
          h("label", { className: "routes-block" }, [
            h("span", { className: "routes-label", text: t("Follow one route, origin to entry") }),
            controls.focus,
          ]),
          routeInfo,
        ]);

        var routeBoxes = [];
        var routeList = h("div", { className: "routes-routes" });
        data.routes.forEach(function (route) {
          var count = ctx.arcs.filter(function (arc) {
            return arc.p.routes.indexOf(route) >= 0;
          }).length;
          var input = h("input", {
            type: "checkbox",
            className: "routes-route",
            checked: true,
            change: function () {
              state.routes[route] = input.checked;
              ctx.refresh();
            },
          });
          input.value = route;
          routeBoxes.push(input);
          u.append(routeList, [h("label", { className: "routes-row" }, [input, " " + route + " (" + count + ")"])]);
        });
        controls.routeBoxes = routeBoxes;
        function setAll(on) {
          routeBoxes.forEach(function (input) {
            input.checked = on;
            state.routes[input.value] = on;
          });
          ctx.refresh();
        }
        u.append(box, [
          h("fieldset", { className: "routes-fieldset" }, [
            h("legend", { text: t("Routes shown") }),
            row([
              // TRANSLATORS: buttons that show all routes or none ("routes" is feminine in French).
              h("button", { type: "button", text: tp("routes shown", "all"), click: function () {
                setAll(true);
              } }),
              h("button", { type: "button", text: tp("routes shown", "none"), click: function () {
                setAll(false);
              } }),
            ]),
            routeList,
          ]),
        ]);

        var ids = Object.keys(data.partnerships).sort(function (a, b) {
          var x = ctx.pname(a);
          var y = ctx.pname(b);
          return x < y ? -1 : x > y ? 1 : a < b ? -1 : 1;
        });
        controls.picker = h(
          "select",
          {
            className: "routes-picker",
            "aria-label": t("Instrument"),
            change: function () {
              ctx.pick(controls.picker.value);
            },
          },
          [option("", t("— none —"))].concat(
            ids.map(function (pid) {
              return option(pid, ctx.pname(pid));
            })
          )
        );
        controls.pickedInfo = h("div", { className: "routes-picked-info", "aria-live": "polite" });
        u.append(box, [
          h("label", { className: "routes-block" }, [
            h("span", { className: "routes-label", text: t("Show what an instrument joins") }),
            controls.picker,
          ]),
          controls.pickedInfo,
        ]);
        if (ctx.searchBox) u.append(box, [ctx.searchBox()]);
        u.append(box, [
          row(
            [
              h("button", { type: "button", className: "routes-csv", text: t("Download CSV"), click: downloadCsv }),
              h("button", {
                type: "button",
                className: "routes-link",
                text: t("Copy link"),
                click: function () {
                  if (ctx.copyLink) ctx.copyLink();
                },
              }),
              h("button", {
                type: "button",
                className: "routes-table-button",
                text: t("Table"),
                click: function () {
                  if (ctx.openTable) ctx.openTable();
                },
              }),
            ],
            "routes-row routes-actions"
          ),
          (controls.linkInfo = h("div", { className: "routes-link-info", "aria-live": "polite" })),
        ]);
        return box;
      },
    });

    ctx.pick = function (pid) {
      state.picked = pid || "";
      if (controls.picker) controls.picker.value = state.picked;
      ctx.refresh();
    };
    ctx.say = function (text) {
      if (controls.linkInfo) controls.linkInfo.textContent = text;
    };

    new Panel().addTo(map);

    ctx.on("refresh", function () {
      if (controls.year) {
        controls.year.value = String(state.yi);
        controls.prev.disabled = state.yi === 0;
        controls.next.disabled = state.yi === data.years.length - 1;
        controls.base.value = state.base === null || state.base === undefined ? "" : String(state.base);
      }
      controls.gaps.checked = state.gapsOnly;
      controls.focus.value = state.focus;
      controls.routeBoxes.forEach(function (input) {
        input.checked = !!state.routes[input.value];
        input.disabled = !!state.focus;
      });
      var counted = ctx.yearInfo().partnerships;
      Array.prototype.forEach.call(controls.picker.options, function (item) {
        if (!item.value) return;
        item.textContent =
          counted.indexOf(item.value) >= 0
            ? ctx.pname(item.value)
            : t("{instrument} (not counted in {year})", { instrument: ctx.pname(item.value), year: ctx.label() });
      });
      controls.picker.value = state.picked;
      u.clear(controls.pickedInfo);
      if (state.picked) {
        var joined = ctx.arcs.filter(function (arc) {
          var rec = ctx.record(arc);
          return rec && rec.joins.indexOf(state.picked) >= 0;
        }).length;
        var values = { count: joined, year: ctx.label(), tier: ctx.term(ctx.partnership(state.picked).tier) };
        var said;
        if (counted.indexOf(state.picked) >= 0) {
          said = tn(
            "Joins the two countries of {count} segment in {year} ({tier}).",
            "Joins the two countries of {count} segments in {year} ({tier}).",
            joined,
            values
          );
        } else {
          said = t("Not counted in {year} (not in force, suspended, or left out by the filters).", values);
        }
        u.append(controls.pickedInfo, [said]);
      }
      updateRouteInfo();
    });
  });
})();
