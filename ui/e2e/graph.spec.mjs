// Browser tests of the graph explorer and the workflow editor, for the e2e runner (run.mjs): it calls
// graphSpecs(test, harness) with harness = {page(), base(), adminKey(), api, signIn, shot, T, RUN_T}.
// They use the built-in no_op_engine of local mode, as the original's README demo does.

export function graphSpecs(test, h) {
  const ctx = { unique: `g${Date.now().toString(36)}` };
  const node = (name) => h.page().getByTestId('graph-node').filter({ hasText: name }).first();

  async function noOpDatastore(name) {
    const made = await h.api('POST', '/datastore', { data: {
      name, engine_name: 'no_op_engine', state: 'ACTIVE', args: { action_sleep_time_in_seconds: 0 },
    } });
    return made.results.id;
  }

  test('graph: shows a workflow with its steps and datastore, in both directions, and finds it by name', async () => {
    const page = h.page();
    await h.signIn(h.adminKey());
    ctx.datastoreId = await noOpDatastore(`graph-store-${ctx.unique}`);
    const wf = await h.api('POST', `/datastore/${ctx.datastoreId}/workflow`, { data: { name: `graph-flow-${ctx.unique}`, state: 'ACTIVE' } });
    ctx.workflowId = wf.results.id;
    await h.api('POST', `/workflow/${ctx.workflowId}/action`, [
      { data: { name: 'extract', action_type_name: 'fake_action_that_succeeds' } },
      { data: { name: 'load', action_type_name: 'fake_action_that_succeeds', depends_on: ['extract'] } },
    ]);
    await page.goto(`${h.base()}/graph/workflow/${ctx.workflowId}`);
    await node(`graph-flow-${ctx.unique}`).waitFor({ timeout: h.T });
    for (const name of ['extract', 'load', `graph-store-${ctx.unique}`]) await node(name).waitFor({ timeout: h.T });
    const horizontal = await node('load').boundingBox();
    const workflowBox = await node(`graph-flow-${ctx.unique}`).boundingBox();
    if (!(horizontal.x > workflowBox.x)) throw new Error('horizontally, a step is not right of its workflow');
    await page.getByText('Vertical', { exact: true }).click();
    await node('load').waitFor({ timeout: h.T });
    await page.waitForTimeout(500);
    const vertical = await node('load').boundingBox();
    const workflowBelow = await node(`graph-flow-${ctx.unique}`).boundingBox();
    if (!(vertical.y > workflowBelow.y)) throw new Error('vertically, a step is not below its workflow');
    await h.shot('graph-workflow');
    await page.getByRole('combobox', { name: 'Find an entity by name' }).fill(`graph-store-${ctx.unique}`);
    await page.getByRole('option', { name: `graph-store-${ctx.unique} (datastore)` }).click();
    await page.waitForURL(new RegExp(`/graph/datastore/${ctx.datastoreId}`), { timeout: h.T });
    await node(`graph-flow-${ctx.unique}`).waitFor({ timeout: h.T });
    await node(`graph-store-${ctx.unique}`).dblclick();
    await page.waitForURL(new RegExp(`/datastore/${ctx.datastoreId}$`), { timeout: h.T });
  });

  test('graph: the workflow editor adds a step that depends on another and saves all in one request', async () => {
    const page = h.page();
    await page.goto(`${h.base()}/workflow/${ctx.workflowId}/editor`);
    await node('load').waitFor({ timeout: h.T });
    await page.getByRole('combobox', { name: 'Action type of a new step' }).click();
    await page.getByRole('option', { name: 'fake_action_that_succeeds', exact: true }).click();
    await page.getByLabel("New step's name").fill('report');
    await page.getByRole('button', { name: 'Add step' }).click();
    await node('report').click();
    await page.getByRole('combobox', { name: 'Runs after (depends on)' }).click();
    await page.getByRole('option', { name: 'load', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel('Retries', { exact: true }).fill('2');
    await page.getByLabel('Timeout (s, empty for none)').fill('120');
    const writes = [];
    const listener = (r) => r.url().includes('/api/1/') && r.method() !== 'GET' && writes.push(`${r.method()} ${r.url()}`);
    page.on('request', listener);
    await page.getByRole('button', { name: 'Save workflow and steps' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor({ timeout: h.T });
    page.off('request', listener);
    if (writes.length !== 1 || !writes[0].startsWith('PUT ') || !writes[0].endsWith('/steps')) throw new Error(`writes: ${writes.join(', ')}`);
    const steps = await h.api('GET', `/action?workflow_id=${ctx.workflowId}&limit=10`);
    const report = steps.results.find((s) => s.data.name === 'report');
    if (!report) throw new Error('the new step was not saved');
    if (JSON.stringify(report.data.depends_on) !== '["load"]' || report.data.retries !== 2 || report.data.timeout_seconds !== 120) {
      throw new Error(`saved as ${JSON.stringify(report.data)}`);
    }
    await h.shot('workflow-editor');
  });

  test("graph: the original's demo: add the chaining template to a no_op datastore, save, run the top workflow", async () => {
    const page = h.page();
    ctx.demoStore = await noOpDatastore(`demo-store-${ctx.unique}`);
    await page.goto(`${h.base()}/graph/datastore/${ctx.demoStore}`);
    await node(`demo-store-${ctx.unique}`).click();
    await page.getByRole('button', { name: 'Add a template' }).click();
    await page.getByRole('menuitem', { name: /workflow chaining demo/ }).click();
    await page.locator('[data-testid="graph-node"][data-unsaved="true"]').nth(9).waitFor({ timeout: h.T });
    await page.getByRole('button', { name: 'Save 10 unsaved' }).click();
    await page.getByRole('button', { name: /Save \d+ unsaved/ }).waitFor({ state: 'detached', timeout: h.T });
    await node('no-op-workflow-chaining-wf1').waitFor({ timeout: h.T });
    if (await page.locator('[data-testid="graph-node"][data-unsaved="true"]').count()) throw new Error('unsaved nodes remain');
    await node('no-op-trigger-workflow-completion').waitFor({ timeout: h.T });
    await node('no-op-workflow-chaining-wf1').click();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.locator('[data-testid="graph-node"][data-kind="workflow instance"][data-state="COMPLETED"]').first()
      .waitFor({ timeout: h.RUN_T });
    await h.shot('graph-demo');
  });
}
