package dev.lockstep.console.view;

import java.awt.Font;
import javax.swing.JLabel;
import javax.swing.UIManager;

/** Section titles and captions, one style across the views. */
public final class Headers {
    private Headers() {
    }

    /** A view section title ("Held locks"). */
    public static JLabel title(String text) {
        JLabel l = new JLabel(text);
        l.putClientProperty("FlatLaf.styleClass", "h3");
        return l;
    }

    /** A title with a caption right after it on the same baseline ("Held order locks  9 held"). */
    public static javax.swing.JPanel titleRow(String text, javax.swing.JComponent after) {
        javax.swing.JPanel row = new javax.swing.JPanel(new net.miginfocom.swing.MigLayout(
                "insets 0, gap 10",        // layout
                "[][grow]",                // columns: title, caption
                "[baseline]"));            // rows
        row.add(title(text));
        row.add(after);
        return row;
    }

    /** A muted one-line explanation under a title. */
    public static JLabel caption(String text) {
        JLabel l = new JLabel(text) {
            @Override
            public void updateUI() {
                super.updateUI();
                setForeground(Palette.muted());
                Font f = UIManager.getFont("Label.font");
                if (f != null) {
                    setFont(f.deriveFont(f.getSize2D() - 1f));
                }
            }
        };
        return l;
    }
}
