package dev.lockstep.console.view;

import dev.lockstep.console.backend.EnvironmentInfo;
import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.console.live.SnapshotView;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSeparator;
import javax.swing.SwingConstants;
import javax.swing.UIManager;
import net.miginfocom.swing.MigLayout;

/**
 * The bottom line: where Redis and MongoDB are and whether they answer, embedded or external,
 * worker threads, the current mode, the ingest URL, and the longest EDT stall measured.
 */
public final class StatusBar extends JPanel implements SnapshotView {
    private final JLabel redis = label("status.redis");
    private final JLabel mongo = label("status.mongo");
    private final JLabel workers = label("status.workers");
    private final JLabel mode = label("status.mode");
    private final JLabel ingest = label("status.ingest");
    private final JLabel edt = label("status.edt");
    private final JLabel journal = label("status.journal");
    private final JLabel error = label("status.error");
    private EnvironmentInfo shownEnv;

    public StatusBar() {
        super(new MigLayout(
                "insets 3 10 3 10, gap 10, hidemode 3",          // layout
                "[][][][][][][][][][grow][][]",                    // columns: redis | mongo | workers | mode | ingest | error (grows) | edt
                "[]"));                                            // rows
        setName("status.bar");
        add(redis);
        add(separator(), "h 14!");
        add(mongo);
        add(separator(), "h 14!");
        add(workers);
        add(separator(), "h 14!");
        add(mode);
        add(separator(), "h 14!");
        // a narrow window shortens the ingest URL (full text in its tooltip) before it clips the journal
        // and EDT figures at the right end
        add(ingest, "w 0:pref, shrinkprio 200");
        add(error, "growx, w 0:pref, shrinkprio 150");
        add(journal);
        add(separator(), "h 14!");
        add(edt);
        error.setVisible(false);
        journal.setVisible(false);
        journal.setToolTipText("Timeline entries waiting for MongoDB, and entries dropped past the journal's bound"
                + " (those orders' timelines have gaps)");
        edt.setToolTipText("Longest time the event dispatch thread kept work waiting since start (probe every 20 ms)");
    }

    @Override
    public void updateUI() {
        super.updateUI();
        setBorder(javax.swing.BorderFactory.createMatteBorder(1, 0, 0, 0, UIManager.getColor("Component.borderColor")));
        shownEnv = null; // health colours come from the theme
    }

    @Override
    public void refresh(ConsoleSnapshot s) {
        EnvironmentInfo env = s.env();
        if (!env.equals(shownEnv)) {
            shownEnv = env;
            server(redis, "Redis", env.redisEndpoint(), env.redisEmbedded(), env.redisHealthy());
            server(mongo, "MongoDB", env.mongoEndpoint(), env.mongoEmbedded(), env.mongoHealthy());
            workers.setText(env.workerThreads() == 0 ? "No local workers (attached)"
                    : Format.count(env.workerThreads()) + " workers");
            mode.setText(env.mode().id() + " mode");
            ingest.setText(env.ingestUrl().isEmpty() ? "No ingest here" : "Ingest: " + env.ingestUrl());
            ingest.setToolTipText(env.ingestUrl().isEmpty() ? null : "Webhooks: POST " + env.ingestUrl());
        }
        error.setVisible(s.failed());
        error.setText(s.failed() ? "Backend unreachable: " + s.error() : "");
        error.setForeground(Palette.bad());
        boolean journalTrouble = env.journalWaiting() > 0 || env.journalDropped() > 0;
        journal.setVisible(journalTrouble);
        if (journalTrouble) {
            journal.setText("Journal: " + Format.count(env.journalWaiting()) + " waiting · "
                    + Format.count(env.journalDropped()) + " dropped");
            journal.setForeground(env.journalDropped() > 0 ? Palette.bad() : Palette.warn());
        }
        String edtText = "EDT stall max (1 min) " + Format.millis(s.edt().recentMaxMillis());
        if (!edtText.equals(edt.getText())) {
            edt.setText(edtText);
            edt.setToolTipText("The longest the window's event thread kept input waiting in the last minute; "
                    + Format.millis(s.edt().maxMillis()) + " since launch (start-up included)");
        }
    }

    private static void server(JLabel label, String what, String endpoint, boolean embedded, boolean healthy) {
        label.setText(what + " " + endpoint.replaceFirst("^[a-z+-]+://", "") + " · " + (embedded ? "embedded" : "external")
                + (healthy ? "" : " · not answering"));
        label.setIcon(new DotIcon(healthy ? Palette.good() : Palette.bad()));
        label.setToolTipText(what + (healthy ? " answers" : " does not answer") + " at " + endpoint);
    }

    private static JLabel label(String name) {
        JLabel l = new JLabel(" ");
        l.setName(name);
        return l;
    }

    private static JSeparator separator() {
        return new JSeparator(SwingConstants.VERTICAL);
    }
}
