// Progressive enhancement for the practice's capability chooser: filters the ticked list as you type.
// Without this file the Filter button asks the server, which filters the same list by name or reference.
const filter = document.querySelector('[data-app-filter]');
const search = filter?.querySelector('input[type="search"]');
const items = [...document.querySelectorAll('input[name="capability"]')].map((input) => ({
  input,
  item: input.closest('.nhsuk-checkboxes__item'),
  text: (input.labels?.[0]?.textContent ?? input.value).toLowerCase(),
  reference: input.value.toLowerCase(),
}));
const status = document.querySelector('.app-filter__none');

if (search && items.length && status) {
  status.hidden = false;
  const apply = () => {
    const q = search.value.trim().toLowerCase();
    let shown = 0;
    for (const { input, item, text, reference } of items) {
      const match = !q || input.checked || text.includes(q) || reference === q.replace(/\s+/g, '');
      if (item) item.hidden = !match;
      if (match) shown++;
    }
    status.textContent = q ? `${shown} of ${items.length} capabilities shown` : '';
  };
  search.addEventListener('input', apply);
}
