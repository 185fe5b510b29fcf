package dev.lockstep.console.view;

import java.awt.Color;
import com.formdev.flatlaf.ui.FlatLineBorder;
import java.awt.Font;
import java.awt.Insets;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.UIManager;
import net.miginfocom.swing.MigLayout;

/** A headline number with its caption: "Applied / 12,345". The value label is named {@code name}. */
public final class MetricCard extends JPanel {
    private final JLabel caption;
    private final JLabel value;
    private Color valueColor;

    public MetricCard(String name, String captionText) {
        super(new MigLayout(
                "insets 0, gap 0 2",         // layout
                "[grow, fill]",              // columns
                "[][]"));                    // rows: caption, value
        caption = new JLabel(captionText);
        value = new JLabel("—");
        value.setName(name);
        add(caption, "wrap");
        add(value);
        restyle();
    }

    public void setValue(String text) {
        if (!text.equals(value.getText())) {
            value.setText(text);
        }
    }

    /** Tints the value (red for a problem, green for all clear); null for the normal colour. */
    public void setValueColor(Color color) {
        valueColor = color;
        value.setForeground(color != null ? color : UIManager.getColor("Label.foreground"));
    }

    public String value() {
        return value.getText();
    }

    @Override
    public void updateUI() {
        super.updateUI();
        if (caption != null) {
            restyle();
        }
    }

    private void restyle() {
        Font base = UIManager.getFont("Label.font");
        Color card = UIManager.getColor("Lockstep.card.background");
        if (base == null) {
            return;
        }
        putClientProperty("FlatLaf.style", "arc: 12");
        setBorder(new FlatLineBorder(new Insets(8, 12, 8, 12), UIManager.getColor("Component.borderColor"), 1, 12));
        setBackground(card != null ? card : UIManager.getColor("Panel.background"));
        caption.setFont(base.deriveFont(base.getSize2D() - 1f));
        caption.setForeground(Palette.muted());
        value.setFont(base.deriveFont(Font.BOLD, base.getSize2D() + 7f));
        setValueColor(valueColor);
    }
}
