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
    /** Remembers the settings a burst started with (the console's preferences). */
    private java.util.function.Consumer<BurstRequest> remember = r -> { };
    /** Fields whose text cannot be taken, with why; the error line shows the first. */
    private final java.util.Map<JSpinner, String> invalid = new java.util.LinkedHashMap<>();

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
        explainsRefusals(orders, "Orders");
        explainsRefusals(eventsPerOrder, "Events per order");
        explainsRefusals(duplicateRate, "Duplicate rate %");
        explainsRefusals(reorderRate, "Reorder rate %");
        explainsRefusals(inFlight, "In-flight requests");
        start.addActionListener(e -> startBurst());
        stop.addActionListener(e -> stopRun());
    }

    /**
     * A value the field cannot take (out of its range, or not a number) stays as typed and the error
     * line says why, instead of the field silently going back to its last value.
     */
    private void explainsRefusals(JSpinner s, String label) {
        javax.swing.JFormattedTextField text = ((JSpinner.DefaultEditor) s.getEditor()).getTextField();
        text.setFocusLostBehavior(javax.swing.JFormattedTextField.COMMIT);
        SpinnerNumberModel range = (SpinnerNumberModel) s.getModel();
        Runnable check = () -> {
            String why = text.isEditValid() ? null : label + " takes a whole number from "
                    + Format.count(((Number) range.getMinimum()).longValue()) + " to "
                    + Format.count(((Number) range.getMaximum()).longValue()) + "; \"" + text.getText().trim()
                    + "\" is not one, so the field keeps " + Format.count(intValue(s)) + " until it is fixed.";
            if (why == null) {
                invalid.remove(s);
            } else {
                invalid.put(s, why);
            }
            if (invalid.isEmpty()) {
                error.setText(" ");
            } else {
                showError(invalid.values().iterator().next());
            }
        };
        text.addPropertyChangeListener("editValid", e -> check.run());
        text.addPropertyChangeListener("value", e -> check.run());
    }

    /** Fills the form with {@code r} (the settings remembered from the last start). */
    public void apply(BurstRequest r) {
        orders.setValue(r.orders());
        eventsPerOrder.setValue(r.eventsPerOrder());
        duplicateRate.setValue((int) Math.round(r.duplicateRate() * 100));
        reorderRate.setValue((int) Math.round(r.reorderRate() * 100));
        inFlight.setValue(r.inFlight());
        mode.setSelectedItem(r.mode());
        (r.transport() == Transport.DIRECT ? direct : http).setSelected(true);
        seed.setText(Long.toString(r.seed()));
        pausedHolder.setSelected(r.pausedHolderFault());
        updateTotal();
    }

    /** Called with the settings of every burst started here, so they can be remembered. */
    public void onStart(java.util.function.Consumer<BurstRequest> remembers) {
        this.remember = java.util.Objects.requireNonNull(remembers, "remembers");
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
                String why = invalid.get(s);
                JSpinner.DefaultEditor editor = (JSpinner.DefaultEditor) s.getEditor();
                throw new IllegalArgumentException(why != null ? why : "\"" + editor.getTextField().getText()
                        + "\" is not a number in the range this field takes.", e);
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
        remember.accept(request);
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
            progress.setValue(value);
        }
        progress.setString(RunProgressText.bar(p));
        phase.setText(RunProgressText.status(p, s.runs()));
        if (!p.error().isEmpty()) {
            showError(p.error());
        }
        if (s.runs().size() != shownRuns) {
            shownRuns = s.runs().size();
            result.setText(s.runs().isEmpty() ? "<html>No run yet. Start a burst to see what each mode"
                    + " does with it.</html>" : resultHtml(s.runs().get(s.runs().size() - 1)));
        }
    }

    /** The result's colours are the theme's: a theme switch renders it again at the next refresh. */
    @Override
    public void updateUI() {
        super.updateUI();
        shownRuns = -1;
    }

    /**
     * The audited result. Every delivery and every accepted event is accounted for: sent = accepted +
     * duplicates dropped + rejected, and accepted = applied + skipped as stale + not handled; a line
     * under each says whether the parts add up (docs/DESIGN.md, "Audit terms").
     */
    static String resultHtml(RunResult run) {
        String good = hex(Palette.good());
        String bad = hex(Palette.bad());
        AuditReport r = run.report();
        long anomalies = r.anomalies().total();
        long notHandled = r.unhandled();
        return "<html><table cellpadding=2>"
                + row("Mode", "<b>" + r.mode().id() + "</b> (seed " + run.seed() + ")")
                + row("Orders", Format.count(r.orders()))
                + row("Deliveries sent", Format.count(r.eventsSent()))
                + row("&nbsp;&nbsp;duplicates dropped", Format.count(r.duplicatesDropped()))
                + row("&nbsp;&nbsp;rejected", Format.count(r.rejected())
                        + (r.givenUp() > 0 ? " (" + Format.count(r.givenUp()) + " given up after retries)" : ""))
                + row("&nbsp;&nbsp;accepted", Format.count(r.accepted()))
                + row("Retries by the injector", Format.count(r.retries()))
                + check(r.accepted() + r.duplicatesDropped() + r.rejected(), r.eventsSent(), "sent", good, bad)
                + row("Accepted events", Format.count(r.accepted()))
                + row("&nbsp;&nbsp;applied", Format.count(r.applied()))
                + row("&nbsp;&nbsp;skipped as stale", Format.count(r.skippedStale()))
                + row("&nbsp;&nbsp;not handled (parked, lost or still queued)", notHandled == 0 ? "0"
                        : "<font color='" + bad + "'>" + Format.count(notHandled) + "</font>")
                + check(r.applied() + r.skippedStale() + notHandled, r.accepted(), "accepted", good, bad)
                + row("Stale writes rejected", Format.count(r.staleWritesRejected()))
                + row("Throughput", Format.rate(r.eventsPerSecond()) + " in " + Format.millis(r.seconds() * 1000))
                + row("Ack p99", Format.millis(r.ackLatencyMs().p99()))
                + row("Anomalies", "<b><font color='" + (anomalies > 0 ? bad : good) + "'>"
                        + Format.count(anomalies) + "</font></b>")
                + row("Integrity", r.integrity() ? "<font color='" + good + "'>✓ intact</font>"
                        : "<font color='" + bad + "'>✗ broken</font>")
                + "</table></html>";
    }

    /** "= 8,000 ✓" when the parts add up to the whole, else what is missing, in red. */
    private static String check(long parts, long whole, String of, String good, String bad) {
        return parts == whole
                ? row("", "<font color='" + good + "'>= " + Format.count(whole) + " " + of + " ✓</font>")
                : row("", "<font color='" + bad + "'>✗ the parts add up to " + Format.count(parts) + ", not "
                        + Format.count(whole) + " " + of + "</font>");
    }

    private static String row(String k, String v) {
        return "<tr><td>" + k + "</td><td align=right>" + v + "</td></tr>";
    }

    static String hex(java.awt.Color c) {
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }
}
