// Where the synthetic hospitals are: real districts, counties and cities of Chongqing municipality and of five provinces
// of central and south-west China, and the kinds of public hospital such places have. A hospital is one (place, kind)
// pair, so names never repeat.

export type PlaceLevel = 'district' | 'county' | 'city'

export interface Place {
  /** As it appears in a hospital's name: "Yubei District", "Wanzhou", "Fengjie County", "Mianyang". */
  label: string
  level: PlaceLevel
  city: string
  province: string
}

const chongqingDistricts = ['Yubei', 'Jiangbei', 'Yuzhong', 'Shapingba', 'Jiulongpo', "Nan'an", 'Dadukou', 'Beibei', 'Banan',
  'Changshou', 'Nanchuan', 'Qijiang', 'Dazu', 'Bishan', 'Tongliang', 'Tongnan', 'Rongchang', 'Kaizhou', 'Liangping', 'Wulong']
/** Districts that were cities of their own before joining the municipality, named without "District". */
const chongqingFormerCities = ['Wanzhou', 'Fuling', 'Qianjiang', 'Jiangjin', 'Hechuan', 'Yongchuan']
const chongqingCounties = ['Chengkou', 'Fengdu', 'Dianjiang', 'Zhong', 'Yunyang', 'Fengjie', 'Wushan', 'Wuxi', 'Shizhu',
  'Xiushan', 'Youyang', 'Pengshui']

/** Prefecture-level cities by province, and the districts of each provincial capital. */
const provinces: Array<{ province: string, capital: string, cities: string[], capitalDistricts: string[] }> = [
  {
    province: 'Sichuan',
    capital: 'Chengdu',
    cities: ['Chengdu', 'Zigong', 'Panzhihua', 'Luzhou', 'Deyang', 'Mianyang', 'Guangyuan', 'Suining', 'Neijiang', 'Leshan',
      'Nanchong', 'Meishan', 'Yibin', "Guang'an", 'Dazhou', "Ya'an", 'Bazhong', 'Ziyang'],
    capitalDistricts: ['Jinjiang', 'Qingyang', 'Jinniu', 'Wuhou', 'Chenghua', 'Longquanyi', 'Qingbaijiang', 'Xindu', 'Wenjiang',
      'Shuangliu', 'Pidu', 'Xinjin']
  },
  {
    province: 'Guizhou',
    capital: 'Guiyang',
    cities: ['Guiyang', 'Zunyi', 'Liupanshui', 'Anshun', 'Bijie', 'Tongren'],
    capitalDistricts: ['Nanming', 'Yunyan', 'Huaxi', 'Wudang', 'Baiyun', 'Guanshanhu']
  },
  {
    province: 'Hubei',
    capital: 'Wuhan',
    cities: ['Wuhan', 'Yichang', 'Xiangyang', 'Jingzhou', 'Shiyan', 'Xiaogan', 'Jingmen', 'Ezhou', 'Huanggang', 'Xianning',
      'Suizhou', 'Huangshi', 'Enshi'],
    capitalDistricts: ["Jiang'an", 'Jianghan', 'Qiaokou', 'Hanyang', 'Wuchang', 'Qingshan', 'Hongshan', 'Dongxihu', 'Caidian',
      'Jiangxia', 'Huangpi', 'Xinzhou']
  },
  {
    province: 'Hunan',
    capital: 'Changsha',
    cities: ['Changsha', 'Zhuzhou', 'Xiangtan', 'Hengyang', 'Shaoyang', 'Yueyang', 'Changde', 'Zhangjiajie', 'Yiyang',
      'Chenzhou', 'Yongzhou', 'Huaihua', 'Loudi'],
    capitalDistricts: ['Furong', 'Tianxin', 'Yuelu', 'Kaifu', 'Yuhua', 'Wangcheng']
  },
  {
    province: 'Shaanxi',
    capital: "Xi'an",
    cities: ["Xi'an", 'Baoji', 'Xianyang', 'Weinan', 'Hanzhong', 'Ankang', 'Yulin', "Yan'an", 'Shangluo', 'Tongchuan'],
    capitalDistricts: ['Beilin', 'Lianhu', 'Yanta', 'Weiyang', 'Baqiao', "Chang'an"]
  },
  {
    province: 'Yunnan',
    capital: 'Kunming',
    cities: ['Kunming', 'Qujing', 'Yuxi', 'Zhaotong', 'Baoshan', 'Lijiang', "Pu'er", 'Lincang'],
    capitalDistricts: ['Wuhua', 'Panlong', 'Guandu', 'Xishan', 'Chenggong']
  }
]

export const places: Place[] = [
  ...chongqingDistricts.map((name): Place => ({ label: `${name} District`, level: 'district', city: 'Chongqing', province: 'Chongqing' })),
  ...chongqingFormerCities.map((name): Place => ({ label: name, level: 'district', city: 'Chongqing', province: 'Chongqing' })),
  ...chongqingCounties.map((name): Place => ({ label: `${name} County`, level: 'county', city: 'Chongqing', province: 'Chongqing' })),
  ...provinces.flatMap(({ province, capital, cities, capitalDistricts }) => [
    ...cities.map((city): Place => ({ label: city, level: 'city', city, province })),
    ...capitalDistricts.map((name): Place => ({ label: `${name} District`, level: 'district', city: capital, province }))
  ])
]

export type HospitalFamily = 'maternal-child' | 'general'

export interface HospitalKind {
  /** Added to the place's slug: "yubei-district-mch". */
  slug: string
  name: (place: string) => string
  family: HospitalFamily
  /** Which places have one. */
  levels: PlaceLevel[]
  /** Relative size: beds, staff and activity scale with it. */
  size: number
}

export const hospitalKinds: HospitalKind[] = [
  { slug: 'mch', name: (place) => `${place} Maternal and Child Health Hospital`, family: 'maternal-child', levels: ['district', 'county', 'city'], size: 0.8 },
  { slug: 'ph', name: (place) => `${place} People's Hospital`, family: 'general', levels: ['district', 'county', 'city'], size: 1 },
  { slug: 'wch', name: (place) => `${place} Women and Children's Hospital`, family: 'maternal-child', levels: ['city'], size: 1.1 },
  { slug: 'first-ph', name: (place) => `${place} First People's Hospital`, family: 'general', levels: ['city'], size: 1.5 },
  { slug: 'second-ph', name: (place) => `${place} Second People's Hospital`, family: 'general', levels: ['city'], size: 1.1 },
  { slug: 'central', name: (place) => `${place} Central Hospital`, family: 'general', levels: ['city'], size: 1.4 },
  { slug: 'tcm', name: (place) => `${place} Hospital of Traditional Chinese Medicine`, family: 'general', levels: ['district', 'county'], size: 0.7 }
]

/** Every (place, kind) pair a hospital can be, in a fixed order. */
export const hospitalSlots: Array<{ place: Place, kind: HospitalKind }> = places.flatMap((place) =>
  hospitalKinds.filter((kind) => kind.levels.includes(place.level)).map((kind) => ({ place, kind })))

/** A province or municipality's health commission, the issuer of most designations. */
export function healthCommission (province: string): string {
  return province === 'Chongqing' ? 'Chongqing Municipal Health Commission' : `${province} Provincial Health Commission`
}

/** "municipal" for Chongqing, "provincial" elsewhere: the level of a designation by the commission above. */
export function regionalLevel (province: string): 'municipal' | 'provincial' {
  return province === 'Chongqing' ? 'municipal' : 'provincial'
}

/** "Chongqing" or "Sichuan Province", as a sentence names the region. */
export function regionName (province: string): string {
  return province === 'Chongqing' ? 'Chongqing' : `${province} Province`
}
