/*
 * routes map: layout — the title (what is shown), zoom and full screen, the caption, the
 * skip link, and the rule that keeps every control inside the frame without overlaps:
 * each corner holds at most half of the frame each way (controls.css), and on small frames
 * the panel, the legend and the caption fold behind their headings.
 */
(function () {
  "use strict";
  var RM = window.RoutesMap;
  var u = RM.util;

  RM.module("layout", function (ctx) {
    var map = ctx.map;
    var data = ctx.data;
    var container = ctx.container;
    var t = ctx.t;

    // -- skip link: the first Tab stop of the page ------------------------------------------
    var skip = u.h("a", {
      className: "routes-skip",
      href: "#",
      text: t("Skip the map: table of the segments shown"),
      click: function (event) {
        event.preventDefault();
        if (ctx.openTable) ctx.openTable();
      },
    });
    container.parentNode.insertBefore(skip, container);

    // -- title, with a line that says what is shown --------------------------------------------
    var subtitle = u.h("div", { className: "routes-subtitle", "aria-live": "polite" });
    var Title = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        return u.h("div", { className: "routes-title" }, [
          u.h("div", { className: "routes-title-main", role: "heading", "aria-level": "1", text: data.title }),
          subtitle,
        ]);
      },
    });
    new Title().addTo(map);
    L.control.zoom({ position: "topleft", zoomInTitle: t("Zoom in"), zoomOutTitle: t("Zoom out") }).addTo(map);

    function terms(values) {
      return values.map(ctx.term).join(", ");
    }

    ctx.describe = function () {
      var sel = data.selection;
      var parts = [ctx.label()];
      if (ctx.comparing()) parts[0] = t("{year} compared with {base}", { year: ctx.label(), base: ctx.label(ctx.state.base) });
      parts.push(t("gaps below {tier}", { tier: ctx.term(sel.min_tier) }));
      if (sel.themes && sel.themes.length) parts.push(t("themes {themes}", { themes: terms(sel.themes) }));
      if (sel.kinds && sel.kinds.length) parts.push(t("kinds {kinds}", { kinds: terms(sel.kinds) }));
      if (sel.exclude_kinds && sel.exclude_kinds.length) parts.push(t("excluding {kinds}", { kinds: terms(sel.exclude_kinds) }));
      if (sel.binding_only) parts.push(t("binding only"));
      if (ctx.state.focus) parts.push(t("following the {route} route", { route: ctx.state.focus }));
      else {
        var off = data.routes.filter(function (r) {
          return !ctx.state.routes[r];
        });
        if (sel.routes && sel.routes.length) parts.push(t("routes {routes}", { routes: sel.routes.join(", ") }));
        else if (off.length) parts.push(t("{shown} of {count} routes", { shown: data.routes.length - off.length, count: data.routes.length }));
      }
      if (ctx.state.gapsOnly) parts.push(t("gaps only"));
      if (ctx.state.picked) parts.push(t("showing {instrument}", { instrument: ctx.pname(ctx.state.picked) }));
      return parts.join(" · ");
    };
    ctx.on("refresh", function () {
      subtitle.textContent = ctx.describe();
    });

    // -- full screen ---------------------------------------------------------------------------
    var FullScreen = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var button = u.h("button", {
          type: "button",
          className: "routes-fullscreen-button",
          title: t("Full screen"),
          "aria-label": t("Full screen"),
        });
        button.appendChild(
          u.svg("svg", { width: 16, height: 16, viewBox: "0 0 16 16", "aria-hidden": "true" }, [
            u.svg("path", { d: "M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5", fill: "none", stroke: "#333", "stroke-width": 2 }),
          ])
        );
        L.DomEvent.on(button, "click", function (event) {
          L.DomEvent.stop(event);
          toggleFullScreen();
        });
        return u.stop(u.h("div", { className: "leaflet-bar routes-fullscreen" }, [button]));
      },
    });
    new FullScreen().addTo(map);

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

    // -- caption: the selection, the data and its sources ----------------------------------------
    var captionBody = u.h("div", { className: "routes-caption-body" });
    var caption = u.h("details", { className: "routes-caption routes-fold", open: true }, [
      u.h("summary", { text: t("About this map") }),
      captionBody,
    ]);
    var Caption = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        return u.stop(caption);
      },
    });
    ctx.on("ready", function () {
      new Caption().addTo(map); // after the panel and the legend: the corners fill in order
    });
    ctx.on("refresh", function () {
      var info = ctx.yearInfo();
      var sel = data.selection;
      var filters = [];
      if (sel.themes && sel.themes.length) filters.push(t("themes {themes}", { themes: terms(sel.themes) }));
      if (sel.kinds && sel.kinds.length) filters.push(t("kinds {kinds}", { kinds: terms(sel.kinds) }));
      if (sel.exclude_kinds && sel.exclude_kinds.length) filters.push(t("not kinds {kinds}", { kinds: terms(sel.exclude_kinds) }));
      if (sel.binding_only) filters.push(t("legally binding only"));
      // (No t() inside the arguments of another t(): pybabel would not see it.)
      var counted = filters.length ? filters.join("; ") : t("all");
      var lines = [
        t("As of {day}: a gap is a segment that no instrument at {tier} tier or above joins; an EU instrument joins its partner with each member state, never two member states.", {
          day: info.as_of,
          tier: ctx.term(sel.min_tier),
        }),
        t("Instruments counted: {filters} ({count}).", { filters: counted, count: info.partnerships.length }),
      ];
      var sources = info.sources.length ? ctx.shortList(info.sources) : t("no flow figures for this state");
      lines.push(t("Data: {dataset} — flows: {sources}; country shapes: Natural Earth.", { dataset: data.dataset || "routes", sources: sources }));
      if (data.undrawn.length) {
        lines.push(
          t("Not drawn (no position): {segments}", {
            segments: ctx.shortList(
              data.undrawn.map(function (pair) {
                return ctx.name(pair[0]) + " → " + ctx.name(pair[1]);
              })
            ),
          })
        );
      }
      u.clear(captionBody);
      lines.forEach(function (text) {
        u.append(captionBody, [u.h("div", { text: text })]);
      });
    });

    // -- small frames: fold the panel, the legend and the caption behind their headings -------------
    var touched = [];
    ctx.fold = function (details) {
      details.addEventListener("toggle", function () {
        if (!details.dataset.auto) touched.push(details);
        delete details.dataset.auto;
      });
    };
    ctx.fold(caption);
    function compact() {
      return container.clientWidth < 720 || container.clientHeight < 560;
    }
    function layout() {
      var small = compact();
      container.classList.toggle("routes-compact", small);
      Array.prototype.forEach.call(container.querySelectorAll("details.routes-fold"), function (details) {
        if (touched.indexOf(details) >= 0) return;
        var open = !small && !ctx.staticView && !details.classList.contains("routes-closed");
        if (details.classList.contains("routes-legend")) open = !small;
        if (details.classList.contains("routes-caption")) open = !small || ctx.staticView;
        if (details.open !== open) {
          details.dataset.auto = "1";
          details.open = open;
        }
      });
    }
    ctx.on("ready", layout);

    // Share each side's height between its top and bottom corners: a folded box takes only its
    // heading, an open one at most what is left (half each when both are open), so they never meet.
    var MARGIN = 8;
    function heightOf(node) {
      return node.getBoundingClientRect().height + MARGIN;
    }
    function share(side, flexible) {
      var frame = container.clientHeight;
      var fixed = 0;
      var boxes = [];
      ["top", "bottom"].forEach(function (vertical) {
        var corner = container.querySelector(".leaflet-" + vertical + ".leaflet-" + side);
        Array.prototype.forEach.call(corner ? corner.children : [], function (child) {
          if (flexible.indexOf(child) >= 0 && child.open) boxes.push(child);
          else fixed += heightOf(child);
        });
      });
      var room = Math.max(frame - fixed - MARGIN * (boxes.length + 1), 40 * boxes.length);
      boxes.forEach(function (box) {
        box.style.maxHeight = "";
      });
      var natural = boxes.map(function (box) {
        return box.scrollHeight + 2;
      });
      var total = natural.reduce(function (a, b) {
        return a + b;
      }, 0);
      boxes.forEach(function (box, i) {
        var other = total - natural[i];
        var limit = total <= room ? natural[i] : Math.max(room / boxes.length, room - other);
        box.style.maxHeight = Math.floor(Math.min(natural[i], limit)) + "px";
      });
    }
    ctx.fit = function () {
      share("left", Array.prototype.slice.call(container.querySelectorAll(".leaflet-left details.routes-fold")));
      share("right", Array.prototype.slice.call(container.querySelectorAll(".leaflet-right details.routes-fold")));
      ctx.emit("layout");
    };
    ctx.on("ready", function () {
      Array.prototype.forEach.call(container.querySelectorAll("details.routes-fold"), function (details) {
        details.addEventListener("toggle", ctx.fit);
      });
      ctx.fit();
    });
    ctx.on("refreshed", function () {
      if (container.querySelector(".routes-caption")) ctx.fit();
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
    ctx.padding = function () {
      return {
        top: Math.max(cornerSize("top", "left").y * 0.4, 20),
        left: Math.max(cornerSize("top", "left").x, 20),
        right: Math.max(cornerSize("top", "right").x, cornerSize("bottom", "right").x, 20),
        bottom: Math.max(cornerSize("bottom", "left").y, 20),
      };
    };

    // A page embedded in a frame may be laid out at its final size only after this script ran:
    // lay out and fit again on resize until the reader moves the map.
    var autoView = true;
    map.on("dragstart", function () {
      autoView = false;
    });
    container.addEventListener(
      "wheel",
      function () {
        autoView = false;
      },
      { passive: true }
    );
    window.addEventListener("resize", function () {
      layout();
      ctx.fit();
      if (!autoView) return;
      map.invalidateSize({ animate: false });
      ctx.fitView();
    });
    ctx.on("restored", function () {
      autoView = false;
    });

    // A popup opens clear of the frame's edges and of the controls above it (the title, the panel),
    // instead of Leaflet's pan, which knows only the frame.
    var EDGE = 6;
    map.on("popupopen", function (event) {
      var element = event.popup.getElement();
      if (!element) return;
      var box = element.getBoundingClientRect();
      var frame = container.getBoundingClientRect();
      var top = frame.top + EDGE;
      Array.prototype.forEach.call(container.querySelectorAll(".leaflet-top .leaflet-control"), function (control) {
        var rect = control.getBoundingClientRect();
        if (rect.height && rect.left < box.right && box.left < rect.right) top = Math.max(top, rect.bottom + EDGE);
      });
      var dy = 0;
      if (box.top < top) dy = top - box.top;
      else if (box.bottom > frame.bottom - EDGE) dy = Math.max(frame.bottom - EDGE - box.bottom, top - box.top);
      var dx = 0;
      if (box.left < frame.left + EDGE) dx = frame.left + EDGE - box.left;
      else if (box.right > frame.right - EDGE) dx = Math.max(frame.right - EDGE - box.right, frame.left + EDGE - box.left);
      if (dx || dy) map.panBy([-dx, -dy], { animate: false });
    });
  });
})();
