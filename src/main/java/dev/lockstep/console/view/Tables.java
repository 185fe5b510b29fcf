package dev.lockstep.console.view;

import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import java.util.function.ToLongFunction;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.ListSelectionModel;
import javax.swing.SwingConstants;
import javax.swing.table.DefaultTableCellRenderer;

/** The console's tables: read-only, single selection, numbers right-aligned with grouping. */
public final class Tables {
    private Tables() {
    }

    public static JTable create(String name, RowTableModel<?> model) {
        JTable table = new JTable(model);
        table.setName(name);
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.setFillsViewportHeight(true);
        table.getTableHeader().setReorderingAllowed(false);
        table.setDefaultRenderer(Long.class, new NumberRenderer());
        table.setDefaultRenderer(Integer.class, new NumberRenderer());
        return table;
    }

    public static JScrollPane scroll(JTable table) {
        JScrollPane sp = new JScrollPane(table);
        sp.setName(table.getName() + ".scroll");
        return sp;
    }

    /** A double-click on a row opens that row's order timeline. */
    public static <T> void opensTimeline(JTable table, RowTableModel<T> model, ToLongFunction<T> orderId,
                                         LongConsumer open) {
        onDoubleClick(table, model, (row, column) -> open.accept(orderId.applyAsLong(row)));
        table.setToolTipText("Double-click a row to open the order's timeline");
    }

    /** A double-click on a row: {@code open} gets the selected row and the model column clicked. */
    public static <T> void onDoubleClick(JTable table, RowTableModel<T> model, BiConsumer<T, Integer> open) {
        table.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent e) {
                if (e.getClickCount() == 2) {
                    T row = model.selected(table);
                    int column = table.columnAtPoint(e.getPoint());
                    if (row != null) {
                        open.accept(row, column < 0 ? -1 : table.convertColumnIndexToModel(column));
                    }
                }
            }
        });
    }

    public static void widths(JTable table, int... preferred) {
        for (int i = 0; i < preferred.length && i < table.getColumnCount(); i++) {
            table.getColumnModel().getColumn(i).setPreferredWidth(preferred[i]);
        }
    }

    /** Right-aligned, grouped: 12,345. */
    static final class NumberRenderer extends DefaultTableCellRenderer {
        NumberRenderer() {
            setHorizontalAlignment(SwingConstants.RIGHT);
        }

        @Override
        protected void setValue(Object value) {
            setText(value instanceof Number n ? Format.count(n.longValue()) : value == null ? "" : value.toString());
        }
    }
}
