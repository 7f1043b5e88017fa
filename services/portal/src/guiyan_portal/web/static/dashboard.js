// The dashboard's charts, drawn with the vendored ECharts from the stats API. Every name shown
// comes from the page (a chart's `data-names`, in the page's language) or from the API's
// `label`s, in the same language: no code is ever drawn. A chart follows its box's width.
(function () {
  "use strict";

  const grid = { left: 8, right: 8, top: 48, bottom: 8, containLabel: true };
  const legend = { top: 0, type: "scroll" };

  function categoryAxis(labels) {
    return { type: "category", data: labels,
             axisLabel: { interval: 0, rotate: labels.length > 3 ? 30 : 0, width: 96, overflow: "truncate" } };
  }

  const options = {
    funnel(data) {
      return {
        tooltip: { trigger: "item" },
        series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", minSize: "15%",
                   label: { formatter: "{b}: {c}" },
                   data: data.stages.map((stage) => ({ name: stage.label, value: stage.projects })) }],
      };
    },
    breakdown(data, names) {
      const rows = data.rows;
      return {
        tooltip: { trigger: "axis" }, legend, grid,
        xAxis: categoryAxis(rows.map((row) => row.label)),
        yAxis: [{ type: "value", minInterval: 1 }, { type: "value", name: names.investment }],
        series: [
          { type: "bar", name: names.projects, data: rows.map((row) => row.projects) },
          { type: "bar", name: names.placed, data: rows.map((row) => row.placed) },
          { type: "bar", name: names.jobs, data: rows.map((row) => row.jobs) },
          { type: "line", name: names.investment, yAxisIndex: 1,
            data: rows.map((row) => row.investment_yuan / names.money_scale) },
        ],
      };
    },
    parks(data, names) {
      const resources = [];
      data.parks.forEach((park) => park.resources.forEach((room) => {
        if (!resources.includes(room.label)) resources.push(room.label);
      }));
      return {
        tooltip: { trigger: "axis", valueFormatter: (value) => value == null ? "" : value.toFixed(1) + "%" },
        legend, grid,
        xAxis: categoryAxis(data.parks.map((park) => park.park_name)),
        yAxis: { type: "value", name: names.used },
        series: resources.map((label) => ({
          type: "bar", name: label,
          data: data.parks.map((park) => {
            const room = park.resources.find((each) => each.label === label);
            return room ? Math.round(room.used_pct * 10) / 10 : null;
          }),
        })),
      };
    },
    plans(data, names) {
      const plans = data.plans.slice().reverse();  // oldest first, as time runs
      return {
        tooltip: { trigger: "axis" }, legend, grid,
        xAxis: categoryAxis(plans.map((plan) => plan.label)),
        yAxis: [{ type: "value" }, { type: "value", minInterval: 1 }],
        series: [
          { type: "line", name: names.objective, data: plans.map((plan) => plan.objective) },
          { type: "line", name: names.bound, lineStyle: { type: "dashed" },
            data: plans.map((plan) => plan.bound) },
          { type: "bar", name: names.unplaced, yAxisIndex: 1, data: plans.map((plan) => plan.unplaced) },
        ],
      };
    },
    reasons(data, names) {
      const reasons = data.reasons.slice().reverse();  // most given at the top
      return {
        tooltip: { trigger: "axis" }, grid: { ...grid, top: 8 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: reasons.map((reason) => reason.label),
                 axisLabel: { width: 120, overflow: "truncate" } },
        series: [{ type: "bar", name: names.projects, data: reasons.map((reason) => reason.projects) }],
      };
    },
  };

  async function draw(box) {
    const answer = await fetch(box.dataset.source, { headers: { Accept: "application/json" },
                                                     credentials: "same-origin" });
    if (!answer.ok) return;  // the table under the chart still holds its figures
    const chart = echarts.init(box, null, { renderer: "canvas" });
    // Drawn at once, without animation: figures are read, not watched, and a reader who asked
    // for less motion gets none.
    chart.setOption({ animation: false,
                      ...options[box.dataset.chart](await answer.json(), JSON.parse(box.dataset.names)) });
    box.dataset.drawn = "true";
    new ResizeObserver(() => chart.resize()).observe(box);
  }

  document.querySelectorAll(".chart[data-chart]").forEach(draw);
})();
