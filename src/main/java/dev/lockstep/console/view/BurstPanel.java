package dev.lockstep.console.view;

import dev.lockstep.audit.AuditReport;
import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.backend.RunProgress;
import dev.lockstep.console.backend.RunResult;
import dev.lockstep.console.backend.Transport;
import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.console.live.SnapshotView;
import dev.lockstep.pipeline.Mode;
import java.awt.Component;
import java.util.List;
import javax.swing.ButtonGroup;
import javax.swing.DefaultListCellRenderer;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.JRadioButton;
import javax.swing.JSpinner;
import javax.swing.JTextField;
import javax.swing.SpinnerNumberModel;
import net.miginfocom.swing.MigLayout;

/**
 * Fires a burst of order webhooks: how many orders, how many events each, how many duplicates
 * and reorderings, how much concurrency, which mode, HTTP or direct, the seed and the
 * paused-holder fault. Start and Stop; a progress bar; the audited result when it ends.
 */
public final class BurstPanel extends JPanel implements SnapshotView {
    private final ConsoleBackend backend;
    private final BackgroundActions actions;
    private final Runnable afterAction;

    // initial values: the default burst shared with the CLI's flags (BurstRequest.defaults())
    private static final BurstRequest DEFAULTS = BurstRequest.defaults();
    private final JSpinner orders = spinner("burst.orders", DEFAULTS.orders(), 1, BurstRequest.MAX_ORDERS, 500);
    private final JSpinner eventsPerOrder = spinner("burst.eventsPerOrder", DEFAULTS.eventsPerOrder(), 1, BurstRequest.MAX_EVENTS_PER_ORDER, 1);
    private final JSpinner duplicateRate = spinner("burst.duplicateRate", percent(DEFAULTS.duplicateRate()), 0, 100, 5);
    private final JSpinner reorderRate = spinner("burst.reorderRate", percent(DEFAULTS.reorderRate()), 0, 100, 5);
    private final JSpinner inFlight = spinner("burst.inFlight", DEFAULTS.inFlight(), 1, BurstRequest.MAX_IN_FLIGHT, 16);
    private final JComboBox<Mode> mode = new JComboBox<>(Mode.values());
    private final JRadioButton http = new JRadioButton("HTTP (signed POSTs to the ingest)");
    private final JRadioButton direct = new JRadioButton("Direct (into the pipeline)");
    private final JTextField seed = new JTextField(String.valueOf(DEFAULTS.seed()), 10);
    private final JCheckBox pausedHolder = new JCheckBox("Paused holder — one handler stalls past its lease, then writes",
            DEFAULTS.pausedHolderFault());
    private final JButton start = new JButton("Start burst", Icons.get("start"));
    private final JButton stop = new JButton("Stop", Icons.get("stop"));
    private final JProgressBar progress = new JProgressBar(0, 1000);
    private final JLabel phase = new JLabel("Idle");
    private final JLabel error = new JLabel(" ");
    private final JLabel totalEvents = Headers.caption(" ");
    private final JLabel result = new JLabel(" ");
    private int shownRuns = -1;

    public BurstPanel(ConsoleBackend backend, BackgroundActions actions, Runnable afterAction) {
        super(new MigLayout(
                "insets 12, gap 10, hidemode 3",          // layout
                "[560!]32[grow, fill]",                   // columns: form | last result
                "[]20[][][][grow]"));                     // rows: form + result, progress, phase, error, rest
        this.backend = backend;
        this.actions = actions;
        this.afterAction = afterAction;
        setName("view.burst");
        mode.setName("burst.mode");
        http.setName("burst.http");
        direct.setName("burst.direct");
        seed.setName("burst.seed");
        pausedHolder.setName("burst.pausedHolder");
        start.setName("burst.start");
        stop.setName("burst.stop");
        progress.setName("burst.progress");
        phase.setName("burst.phase");
        error.setName("burst.error");
        result.setName("burst.result");
        mode.setSelectedItem(DEFAULTS.mode());
        mode.setRenderer(new DefaultListCellRenderer() {
            @Override
            public Component getListCellRendererComponent(JList<?> list, Object value, int index, boolean selected,
                                                          boolean focus) {
                return super.getListCellRendererComponent(list, value instanceof Mode m ? m.id() : value, index,
                        selected, focus);
            }
        });
        ButtonGroup transport = new ButtonGroup();
        transport.add(http);
        transport.add(direct);
        (DEFAULTS.transport() == Transport.DIRECT ? direct : http).setSelected(true);
        progress.setStringPainted(true);
        progress.setString("No burst yet");

        JPanel form = new JPanel(new MigLayout(
                "insets 0, gap 10 8",                     // layout
                "[right][240!, fill][grow]",              // columns: labels | fields | room
                "[][]12[][][][][][][][][][]16[]"));       // rows: title, caption, 9 fields, total, buttons
        form.add(Headers.title("Fire a burst"), "span 3, left, wrap");
        form.add(Headers.caption("A flash sale of order webhooks generated from the seed: the same seed, the same"
                + " burst."), "span 3, left, wrap");
        field(form, "Orders", orders);
        field(form, "Events per order", eventsPerOrder);
        field(form, "Duplicate rate %", duplicateRate);
        field(form, "Reorder rate %", reorderRate);
        field(form, "In-flight requests", inFlight);
        field(form, "Mode", mode);
        JPanel transportChoice = new JPanel(new MigLayout("insets 0, gap 2, flowy", "[]", "[][]"));
        transportChoice.add(http);
        transportChoice.add(direct);
        form.add(new JLabel("Transport"), "aligny top, gaptop 2");
        form.add(transportChoice, "span 2, wrap");
        field(form, "Seed", seed);
        form.add(new JLabel("Fault"));
        form.add(pausedHolder, "span 2, wrap");
        form.add(totalEvents, "skip 1, span 2, wrap");
        form.add(start, "skip 1, split 2, growx 0");
        form.add(stop, "growx 0, wrap");

        JPanel resultPanel = new JPanel(new MigLayout(
                "insets 0, gap 8",                        // layout
                "[grow, fill]",                           // columns
                "[][][grow]"));                           // rows: title, caption, result
        resultPanel.add(Headers.title("Last result"), "wrap");
        resultPanel.add(Headers.caption("Audited against the burst's ground truth; every run joins the Integrity"
                + " view."), "wrap");
        resultPanel.add(result, "aligny top");

        add(form, "aligny top");
        add(resultPanel, "aligny top, wrap");
        add(progress, "span 2, growx, h 22!, wrap");
        add(phase, "span 2, wrap");
        add(error, "span 2, wrap");

        stop.setEnabled(false);
        javax.swing.event.ChangeListener totals = e -> updateTotal();
        orders.addChangeListener(totals);
        eventsPerOrder.addChangeListener(totals);
        duplicateRate.addChangeListener(totals);
        updateTotal();
        start.addActionListener(e -> startBurst());
        stop.addActionListener(e -> stopRun());
    }

    private static void field(JPanel form, String label, Component c) {
        form.add(new JLabel(label));
        form.add(c, "wrap");
    }

    private static JSpinner spinner(String name, int value, int min, int max, int step) {
        JSpinner s = new JSpinner(new SpinnerNumberModel(value, min, max, step));
        s.setName(name);
        JSpinner.NumberEditor editor = new JSpinner.NumberEditor(s, "#,##0");
        s.setEditor(editor);
        editor.getTextField().setName(name + ".text");
        return s;
    }

    private void updateTotal() {
        long events = (long) intValue(orders) * intValue(eventsPerOrder);
        long withCopies = Math.round(events * (1 + intValue(duplicateRate) / 100.0));
        totalEvents.setText("≈ " + Format.count(withCopies) + " deliveries with duplicates");
    }

    /**
     * The burst the form describes.
     *
     * @throws IllegalArgumentException with a message for people when a field is wrong
     */
    public BurstRequest currentRequest() {
        commitEdits();
        long seedValue;
        try {
            seedValue = Long.parseLong(seed.getText().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The seed must be a whole number; \"" + seed.getText().trim()
                    + "\" is not one.", e);
        }
        return new BurstRequest(intValue(orders), intValue(eventsPerOrder), intValue(duplicateRate) / 100.0,
                intValue(reorderRate) / 100.0, intValue(inFlight), (Mode) mode.getSelectedItem(),
                direct.isSelected() ? Transport.DIRECT : Transport.HTTP, seedValue, pausedHolder.isSelected());
    }

    private void commitEdits() {
        for (JSpinner s : List.of(orders, eventsPerOrder, duplicateRate, reorderRate, inFlight)) {
            try {
                s.commitEdit();
            } catch (java.text.ParseException e) {
                JSpinner.DefaultEditor editor = (JSpinner.DefaultEditor) s.getEditor();
                throw new IllegalArgumentException("\"" + editor.getTextField().getText() + "\" is not a number"
                        + " in the range this field takes.", e);
            }
        }
    }

    private static int percent(double rate) {
        return (int) Math.round(rate * 100);
    }

    private static int intValue(JSpinner s) {
        return ((Number) s.getValue()).intValue();
    }

    private void startBurst() {
        BurstRequest request;
        try {
            request = currentRequest();
        } catch (IllegalArgumentException e) {
            showError(e.getMessage());
            return;
        }
        error.setText(" ");
        start.setEnabled(false);
        actions.run("start a burst", () -> {
            backend.startBurst(request);
            return request;
        }, r -> afterAction.run(), e -> {
            start.setEnabled(true);
            showError("The burst did not start: " + BackgroundActions.describe(e));
        });
    }

    private void stopRun() {
        stop.setEnabled(false);
        actions.run("stop the run", () -> {
            backend.stopRun();
            return true;
        }, r -> afterAction.run(), e -> showError("Could not stop: " + BackgroundActions.describe(e)));
    }

    private void showError(String message) {
        error.setForeground(Palette.bad());
        error.setText(message);
    }

    @Override
    public void refresh(ConsoleSnapshot s) {
        RunProgress p = s.progress();
        start.setEnabled(!p.running());
        stop.setEnabled(p.running());
        int value = (int) Math.round(p.fraction() * 1000);
        if (progress.getValue() != value) {
            progress.setValue(p.running() || p.steps() > 0 ? value : 0);
        }
        progress.setString(progressText(p));
        String phaseText = p.phase() + (p.mode() != null ? " · " + p.mode().id() : "")
                + (p.steps() > 1 ? " · run " + p.step() + " of " + p.steps() : "");
        phase.setText(phaseText);
        if (!p.error().isEmpty()) {
            showError(p.error());
        }
        if (s.runs().size() != shownRuns) {
            shownRuns = s.runs().size();
            result.setText(s.runs().isEmpty() ? "<html>No run yet. Start a burst to see what each mode"
                    + " does with it.</html>" : resultHtml(s.runs().get(s.runs().size() - 1)));
        }
    }

    private static String progressText(RunProgress p) {
        if (p.total() <= 0) {
            return p.running() ? "Starting…" : p.steps() > 0 ? "Done" : "No burst yet";
        }
        return Format.count(p.done()) + " / " + Format.count(p.total()) + " deliveries answered"
                + (p.running() ? "" : " — done");
    }

    private static String resultHtml(RunResult run) {
        String good = hex(Palette.good());
        String bad = hex(Palette.bad());
        AuditReport r = run.report();
        long anomalies = r.anomalies().total();
        return "<html><table cellpadding=2>"
                + row("Mode", "<b>" + r.mode().id() + "</b> (seed " + run.seed() + ")")
                + row("Orders", Format.count(r.orders()))
                + row("Deliveries sent", Format.count(r.eventsSent()))
                + row("Accepted", Format.count(r.accepted()))
                + row("Duplicates dropped", Format.count(r.duplicatesDropped()))
                + row("Applied", Format.count(r.applied()))
                + row("Stale writes rejected", Format.count(r.staleWritesRejected()))
                + row("Throughput", Format.rate(r.eventsPerSecond()) + " in " + Format.millis(r.seconds() * 1000))
                + row("Ack p99", Format.millis(r.ackLatencyMs().p99()))
                + row("Anomalies", "<b><font color='" + (anomalies > 0 ? bad : good) + "'>"
                        + Format.count(anomalies) + "</font></b>")
                + row("Integrity", r.integrity() ? "<font color='" + good + "'>✓ intact</font>"
                        : "<font color='" + bad + "'>✗ broken</font>")
                + "</table></html>";
    }

    private static String row(String k, String v) {
        return "<tr><td>" + k + "</td><td align=right>" + v + "</td></tr>";
    }

    static String hex(java.awt.Color c) {
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }
}
