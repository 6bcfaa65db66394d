/**
 * The fixed 50 benchmark queries, written from the 61 real posts (tests/fixtures): what a reader
 * of this site would type. Every one matches something in the corpus. `的` (in every post) is the
 * worst case on purpose: a one-character query whose match set is the whole index.
 */
export interface BenchQuery {
  q: string;
  kind: '1-char CJK' | '2-char CJK' | 'longer CJK' | 'English' | 'mixed' | 'code' | 'phrase' | 'several terms';
}

const k = (kind: BenchQuery['kind'], ...qs: string[]): BenchQuery[] => qs.map((q) => ({ q, kind }));

export const BENCH_QUERIES: readonly BenchQuery[] = [
  ...k('1-char CJK', '猫', '云', '芯', '狗', '的'),
  ...k('2-char CJK', '芯片', '华为', '苹果', '漏洞', '微软', '系统', '安全', '用户', '数据', '手机', '内存', '算法', '开源', '游戏', '黑客', '勒索', '疫苗'),
  ...k('longer CJK', '英特尔', '浏览器', '离线激活', '虚拟内存', '渗透测试框架', '蒙特卡洛', '入睡最健康', '边缘网络方案'),
  ...k('English', 'Linux', 'Windows', 'Apple', 'Intel', 'React', 'Redux', 'Firefox', 'Kubernetes', 'GPU'),
  ...k('mixed', 'Win11 漏洞', 'iOS 15', 'Linux 5.16', 'AVX-512', 'Zen 4', 'M1 芯片', 'Windows 11 右键'),
  ...k('code', 'combineReducers', 'useState'),
  ...k('phrase', '"Windows Hello"'),
  ...k('several terms', '苹果 芯片 漏洞'),
];
