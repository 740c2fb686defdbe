/*
 * routes map: the table of the segments shown — the map's text alternative, for keyboards
 * and screen readers, opened from the skip link or the panel, closed with Escape.
 */
(function () {
  "use strict";
  var RM = window.RoutesMap;
  var u = RM.util;
  var h = u.h;

  RM.module("table", function (ctx) {
    var t = ctx.t;
    var heading = h("h2", { className: "routes-table-title", id: ctx.dataId + "-table-title" });
    var body = h("div", { className: "routes-table-body" });
    var close = h("button", { type: "button", className: "routes-table-close", text: t("Close the table") });
    var dialog = h(
      "div",
      {
        className: "routes-table",
        role: "dialog",
        "aria-modal": "false",
        "aria-labelledby": ctx.dataId + "-table-title",
        hidden: true,
        tabindex: "-1",
      },
      [h("div", { className: "routes-table-head" }, [heading, close]), body]
    );
    u.stop(dialog);
    ctx.container.appendChild(dialog);
    var opener = null;

    function fill() {
      u.clear(body);
      heading.textContent = t("Segments shown: {description}", { description: ctx.describe() });
      var rows = ctx.segmentRows();
      var comparing = ctx.comparing();
      var head = [t("From"), t("To"), t("Routes"), t("Flow"), t("Tier"), t("Gap")];
      if (comparing) head.push(t("Compared with {base}", { base: ctx.label(ctx.state.base) }));
      head.push(t("Instruments"));
      var table = h("table", {}, [
        h("thead", {}, [
          h(
            "tr",
            {},
            head.map(function (text) {
              return h("th", { scope: "col", text: text });
            })
          ),
        ]),
      ]);
      var tbody = h("tbody");
      rows.forEach(function (r) {
        function country(code) {
          return h("td", {}, [
            h("button", {
              type: "button",
              className: "routes-linklike",
              text: ctx.name(code),
              click: function () {
                hide();
                ctx.openCountry(code);
              },
            }),
          ]);
        }
        var cells = [
          country(r.origin),
          country(r.destination),
          h("td", { text: r.routes }),
          h("td", { className: "routes-num", text: ctx.fmt(r.flow) }),
          h("td", { text: ctx.term(r.tier) }),
          h("td", { text: r.gap ? t("gap: {reason}", { reason: r.gapText }) : t("no") }),
        ];
        if (comparing) cells.push(h("td", { text: r.change ? ctx.changeWord(r.change) : "—" }));
        cells.push(h("td", { text: r.joins || "—" }));
        tbody.appendChild(h("tr", { "data-id": r.arc.p.id, className: r.gap ? "routes-gaprow" : "" }, cells));
      });
      table.appendChild(tbody);
      // TRANSLATORS: the English keeps one form ("1 segments.").
      u.append(body, [h("p", { text: ctx.tn("{count} segment.", "{count} segments.", rows.length, { count: rows.length }) }), table]);
    }
    function show() {
      opener = document.activeElement;
      fill();
      dialog.hidden = false;
      dialog.focus();
    }
    function hide() {
      dialog.hidden = true;
      if (opener && opener.focus) opener.focus();
    }
    close.addEventListener("click", hide);
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
    });
    ctx.openTable = show;
    ctx.on("refresh", function () {
      if (!dialog.hidden) fill();
    });
  });
})();
