package org.vestige.layer.crashdump;

/**
 * One entry of a minidump's stream directory ({@code MINIDUMP_DIRECTORY}).
 *
 * @param type     the stream type, e.g. 4 for the module list
 * @param dataSize the stream's size in bytes
 * @param rva      the stream's file offset
 * @since 0.1
 */
public record MinidumpStream(int type, long dataSize, long rva) {

    public static final int UNUSED = 0;
    public static final int THREAD_LIST = 3;
    public static final int MODULE_LIST = 4;
    public static final int MEMORY_LIST = 5;
    public static final int EXCEPTION = 6;
    public static final int SYSTEM_INFO = 7;
    public static final int THREAD_EX_LIST = 8;
    public static final int MEMORY64_LIST = 9;
    public static final int COMMENT_A = 10;
    public static final int COMMENT_W = 11;
    public static final int HANDLE_DATA = 12;
    public static final int FUNCTION_TABLE = 13;
    public static final int UNLOADED_MODULE_LIST = 14;
    public static final int MISC_INFO = 15;
    public static final int MEMORY_INFO_LIST = 16;
    public static final int THREAD_INFO_LIST = 17;
    public static final int HANDLE_OPERATION_LIST = 18;
    public static final int TOKEN = 19;
    public static final int JAVASCRIPT_DATA = 20;
    public static final int SYSTEM_MEMORY_INFO = 21;
    public static final int PROCESS_VM_COUNTERS = 22;
    public static final int IPT_TRACE = 23;
    public static final int THREAD_NAMES = 24;

    /** @return the stream type's name as dbghelp spells it, or a hex number for types it does not define */
    public String typeName() {
        return typeName(type);
    }

    /** @return the name of stream type {@code type} */
    public static String typeName(int type) {
        return switch (type) {
            case UNUSED -> "UnusedStream";
            case THREAD_LIST -> "ThreadListStream";
            case MODULE_LIST -> "ModuleListStream";
            case MEMORY_LIST -> "MemoryListStream";
            case EXCEPTION -> "ExceptionStream";
            case SYSTEM_INFO -> "SystemInfoStream";
            case THREAD_EX_LIST -> "ThreadExListStream";
            case MEMORY64_LIST -> "Memory64ListStream";
            case COMMENT_A -> "CommentStreamA";
            case COMMENT_W -> "CommentStreamW";
            case HANDLE_DATA -> "HandleDataStream";
            case FUNCTION_TABLE -> "FunctionTableStream";
            case UNLOADED_MODULE_LIST -> "UnloadedModuleListStream";
            case MISC_INFO -> "MiscInfoStream";
            case MEMORY_INFO_LIST -> "MemoryInfoListStream";
            case THREAD_INFO_LIST -> "ThreadInfoListStream";
            case HANDLE_OPERATION_LIST -> "HandleOperationListStream";
            case TOKEN -> "TokenStream";
            case JAVASCRIPT_DATA -> "JavaScriptDataStream";
            case SYSTEM_MEMORY_INFO -> "SystemMemoryInfoStream";
            case PROCESS_VM_COUNTERS -> "ProcessVmCountersStream";
            case IPT_TRACE -> "IptTraceStream";
            case THREAD_NAMES -> "ThreadNamesStream";
            case 0x47670001 -> "BreakpadInfoStream";
            case 0x47670002 -> "BreakpadAssertionInfoStream";
            case 0x43500001 -> "CrashpadInfoStream";
            default -> "stream type 0x%x".formatted(type);
        };
    }
}
